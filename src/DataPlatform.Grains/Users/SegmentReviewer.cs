using DataPlatform.Grains.Checkpoints;
using DataPlatform.Contracts.Grains;
using DataPlatform.Grains.Kpis;
using DataPlatform.Grains.Scheduling;
using Microsoft.Extensions.Logging;

namespace DataPlatform.Grains.Users;

/// <summary>Asks the users of this silo whose review is due (by the watermark) to re-evaluate their segment.</summary>
public sealed class SegmentReviewer(
    SegmentReviews reviews,
    EventClock eventClock,
    CheckpointGate gate,
    IGrainFactory grains,
    ILogger<SegmentReviewer> logger) : EventTimeSweeper(reviews, eventClock, gate, Interval, logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override Task VisitAsync(string key, DateTimeOffset watermark) =>
        grains.GetGrain<IUserGrain>(key).ReviewSegmentAsync(watermark);
}
