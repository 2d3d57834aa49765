using DataPlatform.Lake.Catalog;

namespace DataPlatform.Api.Health;

/// <summary>
/// The answer of GET /health; <paramref name="FiguresAgeS"/> is how old the grain-based figures are (null before the first
/// refresh); <paramref name="Checkpoint"/> is this silo's step in the cluster's checkpoints.
/// </summary>
public sealed record HealthReport(
    string Status, IReadOnlyList<HealthCheckResult> Checks, LakeHealth? Lake = null, double? FiguresAgeS = null, CheckpointHealth? Checkpoint = null);

/// <summary>
/// The checkpoint step this silo is in (running, pausing, flushing, persisting, rolling_back), the last completed
/// checkpoint it knows of, and its recovery generation (one more after every roll-back).
/// </summary>
public sealed record CheckpointHealth(string Phase, long CompletedEpoch, long Generation);

/// <summary>
/// The lake as /health sees it: how long ago this silo's writer last committed, what waits, the most
/// failed flushes in a row of any one table, per layer how many seconds ago its newest commit happened
/// (freshness), the tables whose flushes keep failing, the rows quarantined per table, and whether a flush
/// is committing right now.
/// </summary>
public sealed record LakeHealth(
    double? FlushAgeS,
    long BufferedRows,
    int ConsecutiveFailures,
    IReadOnlyDictionary<string, double?> FreshnessS,
    IReadOnlyList<TableWriterStatus>? FailingTables = null,
    IReadOnlyDictionary<string, long>? QuarantinedRows = null,
    bool Flushing = false);

/// <summary>One check: its name, healthy/degraded/unhealthy, and what was seen.</summary>
public sealed record HealthCheckResult(string Name, string Status, string Detail);

public static class HealthStatus
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Unhealthy = "unhealthy";

    /// <summary>The worst of the statuses: any unhealthy check makes the whole unhealthy.</summary>
    public static string Worst(IEnumerable<string> statuses)
    {
        var all = statuses.ToList();
        return all.Contains(Unhealthy) ? Unhealthy : all.Contains(Degraded) ? Degraded : Healthy;
    }
}
