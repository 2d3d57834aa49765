using DataPlatform.Contracts.Telemetry;
using DataPlatform.Lake;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Lake;

/// <summary>
/// Flushes the silo's lake writer: appends every flush interval (sooner when a buffer fills), keyed
/// snapshots every gold interval, and everything once more when the silo stops. Each timed flush is measured
/// (<see cref="PlatformMetricNames.LakeFlushDuration"/>).
/// </summary>
public sealed class LakeFlushService(LakeWriter writer, IOptions<LakeOptions> options, TimeProvider clock, PlatformMetrics metrics) : BackgroundService
{
    private readonly SemaphoreSlim _wanted = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        writer.FlushWanted += Wake;
        var nextSnapshot = clock.GetUtcNow() + options.Value.GoldSnapshotInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await _wanted.WaitAsync(options.Value.FlushInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                var started = clock.GetTimestamp();
                await writer.FlushAppendsAsync(stoppingToken);
                metrics.LakeFlushed(PlatformMetricNames.AppendFlush, clock.GetElapsedTime(started));
                if (clock.GetUtcNow() >= nextSnapshot)
                {
                    started = clock.GetTimestamp();
                    await writer.FlushSnapshotsAsync(stoppingToken);
                    metrics.LakeFlushed(PlatformMetricNames.SnapshotFlush, clock.GetElapsedTime(started));
                    nextSnapshot = clock.GetUtcNow() + options.Value.GoldSnapshotInterval;
                }
            }
        }
        finally
        {
            writer.FlushWanted -= Wake;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await writer.FlushAppendsAsync(cancellationToken);
        await writer.FlushSnapshotsAsync(cancellationToken);
        // Rows the snapshot merges quarantined wait in the quarantine table's append buffer.
        await writer.FlushAppendsAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _wanted.Dispose();
        base.Dispose();
    }

    private void Wake()
    {
        if (_wanted.CurrentCount == 0)
        {
            try
            {
                _wanted.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }
    }
}
