using DataPlatform.Contracts.Grains;
using DataPlatform.Grains.Kpis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataPlatform.Grains.Users;

/// <summary>Every few seconds, asks the users of this silo whose review is due (by the watermark) to re-evaluate.</summary>
public sealed partial class SegmentReviewer(
    SegmentReviews reviews,
    EventClock eventClock,
    IGrainFactory grains,
    ILogger<SegmentReviewer> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (eventClock.Watermark is not { } watermark)
                {
                    continue;
                }
                await Parallel.ForEachAsync(reviews.DueAt(watermark), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = stoppingToken },
                    async (userId, _) =>
                    {
                        try
                        {
                            await grains.GetGrain<IUserGrain>(userId).ReviewSegmentAsync(watermark);
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            LogReviewFailed(logger, userId, ex.Message);
                        }
                    });
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reviewing the segment of {UserId} failed, will retry: {Reason}")]
    private static partial void LogReviewFailed(ILogger logger, string userId, string reason);
}
