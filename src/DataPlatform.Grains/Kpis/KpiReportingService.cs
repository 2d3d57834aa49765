using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Streaming.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataPlatform.Grains.Kpis;

/// <summary>
/// Sends this silo's pre-aggregated KPI delta to the KPI grain four times a second, an empty one too: the
/// answer carries the cluster's watermark, which this silo's <see cref="EventClock"/> follows. A delta
/// that cannot be delivered is put back and sent with the next one; a delta the KPI grain refuses
/// (a sum it cannot hold; it changed nothing) is resent part by part, and only the parts it still
/// refuses are left out, logged and counted.
/// </summary>
public sealed partial class KpiReportingService(
    KpiAccumulator accumulator,
    CheckpointGate gate,
    EventClock eventClock,
    ILocalSiloDetails silo,
    IServiceProvider services,
    IGrainFactory grains,
    ILogger<KpiReportingService> logger) : BackgroundService
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);

    private long _rejectedParts;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReportInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Between checkpoints only: a checkpoint reports itself (ReportNowAsync) while the gate is closed.
                using (await gate.EnterAsync(stoppingToken))
                {
                    await ReportAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the final report happens in StopAsync.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await ReportAsync();
    }

    /// <summary>Reports now; throws when the delta could not be delivered (it stays for the next report).</summary>
    public async Task ReportNowAsync()
    {
        if (!await ReportAsync())
        {
            throw new IOException("The KPI grain could not be reached; the silo's KPI delta stays for the next report.");
        }
    }

    /// <summary>Reports the accumulated delta; false when (part of) it could not be delivered and was put back.</summary>
    private async Task<bool> ReportAsync()
    {
        var kafka = services.GetService(typeof(KafkaStreamStatistics)) as KafkaStreamStatistics;
        var delta = accumulator.Drain() with
        {
            Silo = silo.SiloAddress.ToParsableString(),
            ConsumerLag = kafka?.TotalLag,
            RecordsLost = kafka?.TotalLost,
        };
        var outcome = await DeliverAsync(delta);
        var delivered = true;
        if (outcome == Delivery.Failed)
        {
            Restore(delta);
            delivered = false;
        }
        else if (outcome == Delivery.Refused)
        {
            // The KPI grain changed nothing. Sent part by part, only a figure it cannot hold stays out:
            // resending the whole delta would block every later one behind it.
            foreach (var part in delta.Parts())
            {
                switch (await DeliverAsync(part))
                {
                    case Delivery.Failed:
                        Restore(part);
                        delivered = false;
                        break;
                    case Delivery.Refused:
                        Reject(part);
                        break;
                }
            }
        }
        return delivered;
    }

    private async Task<Delivery> DeliverAsync(KpiDelta delta)
    {
        try
        {
            var watermark = await grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).ReportAsync(delta);
            if (watermark is { } latest)
            {
                eventClock.Advance(latest);
            }
            return Delivery.Delivered;
        }
        catch (ArithmeticException ex)
        {
            LogReportRefused(logger, ex, delta.Events);
            return Delivery.Refused;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReportFailed(logger, ex, delta.Events);
            return Delivery.Failed;
        }
    }

    private void Restore(KpiDelta delta)
    {
        try
        {
            if (!accumulator.Restore(delta))
            {
                LogDeltaDropped(logger, delta.Events, delta.Generation);
            }
        }
        catch (ArithmeticException)
        {
            // Merged with what came since, a figure no longer fits: it could never be applied.
            Reject(delta);
        }
    }

    private void Reject(KpiDelta delta)
    {
        Interlocked.Increment(ref _rejectedParts);
        var figures = delta.Orders.Keys.Select(date => $"orders of {date:yyyy-MM-dd}")
            .Concat(delta.Segments.Keys.Select(segment => $"segment {segment}"))
            .Concat(delta.Products.Keys.Select(product => $"product {product}"));
        LogPartRejected(logger, delta.Events, string.Join(", ", figures));
    }

    /// <summary>Parts of deltas the KPI grain could never hold (a sum past what a decimal holds), left out of the KPIs.</summary>
    public long RejectedParts => Interlocked.Read(ref _rejectedParts);

    private enum Delivery
    {
        Delivered,
        Failed,
        Refused,
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The KPI grain refused a report of {Events} events; sending it part by part")]
    private static partial void LogReportRefused(ILogger logger, Exception exception, long events);

    [LoggerMessage(Level = LogLevel.Error, Message = "A KPI delta part ({Events} events; {Figures}) cannot be held and is left out of the KPIs")]
    private static partial void LogPartRejected(ILogger logger, long events, string figures);

    [LoggerMessage(Level = LogLevel.Information, Message = "A KPI delta of {Events} events from generation {Generation} was not delivered and is dropped: the cluster rolled back since, and the replay counts its records again")]
    private static partial void LogDeltaDropped(ILogger logger, long events, long? generation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "KPI report of {Events} events not delivered, retrying next tick")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, long events);
}
