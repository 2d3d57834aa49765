using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Kpis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataPlatform.Grains.Scheduling;

/// <summary>
/// Every interval, visits the grains of a schedule whose time the watermark has passed, a bounded
/// number at once. One timer per silo and purpose, not one per grain.
/// </summary>
public abstract partial class EventTimeSweeper(EventTimeSchedule schedule, EventClock eventClock, CheckpointGate gate, TimeSpan interval, ILogger logger)
    : BackgroundService
{
    private const int VisitsInFlight = 64;

    /// <summary>Visits one due grain; a failure is logged and the grain stays scheduled.</summary>
    protected abstract Task VisitAsync(string key, DateTimeOffset watermark);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (eventClock.Watermark is not { } watermark)
                {
                    continue;
                }
                // A sweep changes grain state: it runs between checkpoints, never during one.
                using var inside = await gate.EnterAsync(stoppingToken);
                await Parallel.ForEachAsync(schedule.DueBefore(watermark),
                    new ParallelOptions { MaxDegreeOfParallelism = VisitsInFlight, CancellationToken = stoppingToken },
                    async (key, _) =>
                    {
                        try
                        {
                            await VisitAsync(key, watermark);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            LogVisitFailed(logger, ex, key);
                        }
                    });
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Visiting {Key} failed, will retry")]
    private static partial void LogVisitFailed(ILogger logger, Exception exception, string key);
}
