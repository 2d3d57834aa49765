using DataPlatform.Contracts.Grains;
using DataPlatform.Grains.Kpis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Sessions;

/// <summary>
/// Closes idle sessions: every sweep interval, the open sessions of this silo whose last activity is
/// more than the timeout behind the event-time watermark are asked to close. One timer per silo, not
/// one per session.
/// </summary>
public sealed partial class SessionCloser(
    OpenSessions openSessions,
    EventClock eventClock,
    IGrainFactory grains,
    IOptions<SessionClosingOptions> options,
    ILogger<SessionCloser> logger) : BackgroundService
{
    private const int ClosingsInFlight = 64;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (eventClock.Watermark is { } watermark)
                {
                    await CloseIdleAsync(watermark, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task CloseIdleAsync(DateTimeOffset watermark, CancellationToken stoppingToken)
    {
        var idle = openSessions.IdleAt(watermark, options.Value.Timeout);
        await Parallel.ForEachAsync(idle, new ParallelOptions { MaxDegreeOfParallelism = ClosingsInFlight, CancellationToken = stoppingToken },
            async (sessionId, _) =>
            {
                try
                {
                    await grains.GetGrain<ISessionGrain>(sessionId).CloseIfIdleAsync(watermark);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogCloseFailed(logger, sessionId, ex.Message);
                }
            });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Closing session {SessionId} failed, will retry: {Reason}")]
    private static partial void LogCloseFailed(ILogger logger, string sessionId, string reason);
}
