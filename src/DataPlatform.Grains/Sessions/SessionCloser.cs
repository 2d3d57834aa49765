using DataPlatform.Grains.Checkpoints;
using DataPlatform.Contracts.Grains;
using DataPlatform.Grains.Kpis;
using DataPlatform.Grains.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Sessions;

/// <summary>Closes the sessions of this silo that have been idle for the timeout (in event time).</summary>
public sealed class SessionCloser(
    OpenSessions openSessions,
    EventClock eventClock,
    CheckpointGate gate,
    IGrainFactory grains,
    IOptions<SessionClosingOptions> options,
    ILogger<SessionCloser> logger) : EventTimeSweeper(openSessions, eventClock, gate, options.Value.SweepInterval, logger)
{
    protected override Task VisitAsync(string key, DateTimeOffset watermark) =>
        grains.GetGrain<ISessionGrain>(key).CloseIfIdleAsync(watermark);
}
