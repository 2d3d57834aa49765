namespace DataPlatform.Contracts.Telemetry;

/// <summary>How Prometheus sees a metric: a counter only grows, a gauge goes up and down, a histogram has buckets.</summary>
public enum MetricKind
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>
/// One metric as a silo exports it at /metrics: its Prometheus name, kind, labels and meaning. Dashboards,
/// alerting rules and docs/monitoring.md name metrics by <see cref="Name"/>.
/// </summary>
public sealed record ExportedMetric(string Name, MetricKind Kind, IReadOnlyList<string> Labels, string Meaning)
{
    /// <summary>The names of the series Prometheus stores for it: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c>.</summary>
    public IReadOnlyList<string> SeriesNames => Kind == MetricKind.Histogram
        ? [$"{Name}_bucket", $"{Name}_sum", $"{Name}_count"]
        : [Name];
}
