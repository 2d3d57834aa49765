using DataPlatform.Contracts.Checkpoints;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Streaming.Kafka;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Health;

/// <summary>
/// GET /health: is the cluster up, are the live KPIs answering, is this silo keeping up with Kafka, is the lake
/// flushing every table, does grain state survive a restart. Answered from the <see cref="HealthMonitor"/>'s cached figures, never by calling grains.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Consumer lag (records) above which this silo reports itself degraded.</summary>
    public const long MaxHealthyLag = 100_000;

    /// <summary>Failed flushes in a row after which one table makes the lake check degraded (two flush intervals).</summary>
    public const int FailuresBeforeDegraded = 2;

    /// <summary>Grain-based figures older than this make their checks degraded: the monitor has not refreshed them for long.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealth).WithName("GetHealth").WithTags("Operations").AllowAnonymous();
        return routes;
    }

    /// <summary>Answers from the monitor's cached figures and this silo's own counters: no grain call, so it never waits behind ingest.</summary>
    private static JsonHttpResult<HealthReport> GetHealth(HealthMonitor monitor, IServiceProvider services, TimeProvider clock)
    {
        var report = Report(
            monitor.Current,
            services.GetService(typeof(ILakeWriterStatus)) as ILakeWriterStatus,
            services.GetService(typeof(KafkaStreamStatistics)) as KafkaStreamStatistics,
            (services.GetService(typeof(IOptions<LakeOptions>)) as IOptions<LakeOptions>)?.Value ?? new LakeOptions(),
            clock.GetUtcNow(),
            services.GetService(typeof(ClusterStorage)) as ClusterStorage,
            services.GetService(typeof(ICheckpointProgress)) as ICheckpointProgress);
        return TypedResults.Json(report, statusCode: report.Status == HealthStatus.Unhealthy
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status200OK);
    }

    /// <summary>
    /// The health report from cached grain figures and this silo's counters. Figures never fetched, or older
    /// than <see cref="StaleAfter"/>, make the silos, kpis and lake checks degraded with their age and the
    /// refresh error; slowness alone never makes anything unhealthy. The storage check says whether grain state
    /// survives a restart (no <paramref name="storage"/> means memory). The checkpoint step is reported as it is,
    /// never as a check: a silo in a checkpoint is working, not unwell.
    /// </summary>
    public static HealthReport Report(
        HealthFigures figures, ILakeWriterStatus? writer, KafkaStreamStatistics? kafka, LakeOptions options, DateTimeOffset now,
        ClusterStorage? storage = null, ICheckpointProgress? checkpoint = null)
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(options);
        var age = figures.RefreshedAt is { } at ? Math.Round((now - at).TotalSeconds, 1) : (double?)null;
        var stale = age is null || age > StaleAfter.TotalSeconds
            ? age is null
                ? $"no figures yet: the first refresh is under way{(figures.LastError is { } first ? $" (last attempt: {first})" : "")}"
                : $"figures are {age:0.#} s old: the refresh has not succeeded since{(figures.LastError is { } error ? $" ({error})" : "")}"
            : null;
        var silos = stale is not null
            ? new HealthCheckResult("silos", HealthStatus.Degraded, stale)
            : figures.ActiveSilos > 0
                ? new HealthCheckResult("silos", HealthStatus.Healthy, $"{figures.ActiveSilos} active silo(s)")
                : new HealthCheckResult("silos", HealthStatus.Unhealthy, "no active silo");
        var kpis = stale is not null
            ? new HealthCheckResult("kpis", HealthStatus.Degraded, stale)
            : new HealthCheckResult("kpis", HealthStatus.Healthy, $"{figures.TotalEvents} events counted");
        var (lakeCheck, lake) = LakeCheck(writer, figures.Tables, options, now);
        if (stale is not null && lakeCheck.Status == HealthStatus.Healthy)
        {
            lakeCheck = lakeCheck with { Status = HealthStatus.Degraded, Detail = $"{lakeCheck.Detail}; freshness {stale}" };
        }
        var storageCheck = new HealthCheckResult("storage", HealthStatus.Healthy, (storage ?? ClusterStorage.Memory).Detail);
        HealthCheckResult[] checks = [silos, kpis, KafkaCheck(kafka), lakeCheck, storageCheck];
        var step = checkpoint is null ? null : new CheckpointHealth(checkpoint.Phase, checkpoint.CompletedEpoch, checkpoint.Generation);
        return new HealthReport(HealthStatus.Worst(checks.Select(check => check.Status)), checks, lake, age, step);
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
        var lost = statistics.Partitions.Where(partition => partition.LostRecords > 0).ToList();
        if (lost.Count > 0)
        {
            // Records gone before they were read can never be counted: every figure they feed is short.
            var where = string.Join(", ", lost.Select(partition => $"{partition.Topic}-{partition.Partition}: {partition.LostRecords}"));
            return new HealthCheckResult("kafka", HealthStatus.Unhealthy,
                $"{detail}; {lost.Sum(partition => partition.LostRecords)} record(s) lost: Kafka's retention dropped them before they were read ({where})");
        }
        return new HealthCheckResult("kafka", lag > MaxHealthyLag ? HealthStatus.Degraded : HealthStatus.Healthy, detail);
    }

    /// <summary>
    /// Degraded when one table's flushes failed <see cref="FailuresBeforeDegraded"/> times in a row (another
    /// table's success does not hide it), or when rows have waited far longer than the flush interval.
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
        var perTable = writer?.Tables ?? [];
        var failing = perTable.Where(table => table.ConsecutiveFailures > 0).ToList();
        var quarantined = perTable.Where(table => table.QuarantinedRows > 0).ToDictionary(table => table.Table, table => table.QuarantinedRows, StringComparer.Ordinal);
        var lake = new LakeHealth(flushAge, writer?.BufferedRows ?? 0, writer?.ConsecutiveFailures ?? 0, freshness, failing, quarantined, writer?.IsFlushing ?? false);
        var overdue = options.FlushInterval * 3 + TimeSpan.FromSeconds(10);
        var blocked = failing.Where(table => table.ConsecutiveFailures >= FailuresBeforeDegraded).ToList();
        var degraded = blocked.Count > 0 || (lake.BufferedRows > 0 && flushAge is { } age && age > overdue.TotalSeconds);
        var layers = string.Join(", ", freshness.OrderBy(layer => layer.Key, StringComparer.Ordinal)
            .Select(layer => $"{layer.Key} {(layer.Value is { } seconds ? $"{seconds:0.#} s" : "never")}"));
        var detail = $"last flush {(flushAge is { } a ? $"{a:0.#} s ago" : "not yet")}, {lake.BufferedRows} row(s) waiting, "
            + $"{lake.ConsecutiveFailures} failed flush(es) in a row; newest commit per layer: {layers}";
        if (blocked.Count > 0)
        {
            detail += "; failing: " + string.Join(", ", blocked.Select(table =>
                $"{table.Table} ({table.ConsecutiveFailures} failed flushes in a row, {table.RowsWaiting} row(s) waiting, "
                + $"last success {(table.LastSuccessAt is { } success ? $"{Math.Round((now - success).TotalSeconds):0} s ago" : "never")}: {table.LastError})"));
        }
        if (quarantined.Count > 0)
        {
            detail += "; quarantined rows: " + string.Join(", ", quarantined.Select(table => $"{table.Key} {table.Value}"));
        }
        return (new HealthCheckResult("lake", degraded ? HealthStatus.Degraded : HealthStatus.Healthy, detail), lake);
    }
}
