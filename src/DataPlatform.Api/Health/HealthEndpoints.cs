using DataPlatform.Contracts.Grains;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Streaming.Kafka;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Runtime;

namespace DataPlatform.Api.Health;

/// <summary>GET /health: is the cluster up, are the live KPIs answering, is this silo keeping up with Kafka, is the lake flushing.</summary>
public static class HealthEndpoints
{
    /// <summary>Consumer lag (records) above which this silo reports itself degraded.</summary>
    public const long MaxHealthyLag = 100_000;

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealthAsync).WithName("GetHealth").WithTags("Operations");
        return routes;
    }

    private static async Task<IResult> GetHealthAsync(IGrainFactory grains, IServiceProvider services, TimeProvider clock, CancellationToken cancellationToken)
    {
        LakeHealth? lake = null;
        HealthCheckResult[] checks =
        [
            await CheckAsync("silos", async () =>
            {
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                return hosts.Count > 0
                    ? new HealthCheckResult("silos", HealthStatus.Healthy, $"{hosts.Count} active silo(s)")
                    : new HealthCheckResult("silos", HealthStatus.Unhealthy, "no active silo");
            }, cancellationToken),
            await CheckAsync("kpis", async () =>
            {
                var snapshot = await grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).GetSnapshotAsync();
                return new HealthCheckResult("kpis", HealthStatus.Healthy, $"{snapshot.TotalEvents} events counted");
            }, cancellationToken),
            KafkaCheck(services.GetService(typeof(KafkaStreamStatistics)) as KafkaStreamStatistics),
            await CheckAsync("lake", async () =>
            {
                var entries = await grains.GetCatalogEntriesAsync(PlatformTables.All);
                var (result, health) = LakeCheck(
                    services.GetService(typeof(ILakeWriterStatus)) as ILakeWriterStatus,
                    entries,
                    (services.GetService(typeof(IOptions<LakeOptions>)) as IOptions<LakeOptions>)?.Value ?? new LakeOptions(),
                    clock.GetUtcNow());
                lake = health;
                return result;
            }, cancellationToken),
        ];
        var report = new HealthReport(HealthStatus.Worst(checks.Select(check => check.Status)), checks, lake);
        return TypedResults.Json(report, statusCode: report.Status == HealthStatus.Unhealthy
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status200OK);
    }

    /// <summary>The partitions this silo reads and how far behind it is (a silo that reads no Kafka is healthy).</summary>
    public static HealthCheckResult KafkaCheck(KafkaStreamStatistics? statistics)
    {
        if (statistics is null)
        {
            return new HealthCheckResult("kafka", HealthStatus.Healthy, "no Kafka stream provider on this silo");
        }
        var owned = statistics.Partitions.Count(partition => partition.Owned);
        var lag = statistics.TotalLag;
        var deadLetters = statistics.DeadLettersByReason.Values.Sum();
        var detail = $"{owned} partition(s) read by this silo, consumer lag {lag}, {deadLetters} dead letter(s)";
        return new HealthCheckResult("kafka", lag > MaxHealthyLag ? HealthStatus.Degraded : HealthStatus.Healthy, detail);
    }

    /// <summary>
    /// Degraded when this silo's writer failed several flushes in a row, or holds rows it has not
    /// committed for far longer than its flush interval.
    /// </summary>
    public static (HealthCheckResult Check, LakeHealth Lake) LakeCheck(ILakeWriterStatus? writer, IReadOnlyList<TableCatalogEntry> tables, LakeOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        var freshness = tables.GroupBy(entry => entry.Definition.Layer).ToDictionary(
            layer => layer.Key,
            layer => layer.Max(entry => entry.LastUpdated) is { } newest ? Math.Round((now - newest).TotalSeconds, 1) : (double?)null,
            StringComparer.Ordinal);
        var flushAge = writer?.LastFlushAt is { } flushed ? Math.Round((now - flushed).TotalSeconds, 1) : (double?)null;
        var lake = new LakeHealth(flushAge, writer?.BufferedRows ?? 0, writer?.ConsecutiveFailures ?? 0, freshness);
        var overdue = options.FlushInterval * 3 + TimeSpan.FromSeconds(10);
        var degraded = lake.ConsecutiveFailures >= 3 || (lake.BufferedRows > 0 && flushAge is { } age && age > overdue.TotalSeconds);
        var layers = string.Join(", ", freshness.OrderBy(layer => layer.Key, StringComparer.Ordinal)
            .Select(layer => $"{layer.Key} {(layer.Value is { } seconds ? $"{seconds:0.#} s" : "never")}"));
        var detail = $"last flush {(flushAge is { } a ? $"{a:0.#} s ago" : "not yet")}, {lake.BufferedRows} row(s) waiting, "
            + $"{lake.ConsecutiveFailures} failed flush(es) in a row; newest commit per layer: {layers}";
        return (new HealthCheckResult("lake", degraded ? HealthStatus.Degraded : HealthStatus.Healthy, detail), lake);
    }

    private static async Task<HealthCheckResult> CheckAsync(string name, Func<Task<HealthCheckResult>> check, CancellationToken cancellationToken)
    {
        try
        {
            return await check().WaitAsync(CheckTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(name, HealthStatus.Unhealthy, ex.Message);
        }
    }
}
