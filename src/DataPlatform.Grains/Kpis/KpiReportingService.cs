using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Grains;
using DataPlatform.Streaming.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataPlatform.Grains.Kpis;

/// <summary>
/// Sends this silo's pre-aggregated KPI delta to the KPI grain once a second, an empty one too: the
/// answer carries the cluster's watermark, which this silo's <see cref="EventClock"/> follows. A delta
/// that cannot be delivered is put back and sent with the next one.
/// </summary>
public sealed partial class KpiReportingService(
    KpiAccumulator accumulator,
    EventClock eventClock,
    ILocalSiloDetails silo,
    IServiceProvider services,
    IGrainFactory grains,
    ILogger<KpiReportingService> logger) : BackgroundService
{
    public static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ReportInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ReportAsync();
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

    private async Task ReportAsync()
    {
        var delta = accumulator.Drain() with
        {
            Silo = silo.SiloAddress.ToParsableString(),
            ConsumerLag = (services.GetService(typeof(KafkaStreamStatistics)) as KafkaStreamStatistics)?.TotalLag,
        };
        try
        {
            var watermark = await grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).ReportAsync(delta);
            if (watermark is { } latest)
            {
                eventClock.Advance(latest);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            accumulator.Restore(delta);
            LogReportFailed(logger, delta.Events, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KPI report of {Events} events not delivered, retrying next tick: {Reason}")]
    private static partial void LogReportFailed(ILogger logger, long events, string reason);
}
