namespace DataPlatform.Benchmarks.Latency;

/// <summary>Nearest-rank percentiles of one kind of latency over a phase, in milliseconds, and the probes never seen.</summary>
public sealed record LatencySummary(int Count, double P50, double P90, double P99, double Max, int Missed)
{
    public static LatencySummary Of(IReadOnlyCollection<double> milliseconds, int missed)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (milliseconds.Count == 0)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, missed);
        }
        var sorted = milliseconds.Order().ToArray();
        return new LatencySummary(sorted.Length, LakeLoad.Percentile(sorted, 0.5), LakeLoad.Percentile(sorted, 0.9),
            LakeLoad.Percentile(sorted, 0.99), sorted[^1], missed);
    }

    public Dictionary<string, object> ToJson() => new(StringComparer.Ordinal)
    {
        ["probes"] = Count,
        ["p50_ms"] = Math.Round(P50),
        ["p90_ms"] = Math.Round(P90),
        ["p99_ms"] = Math.Round(P99),
        ["max_ms"] = Math.Round(Max),
        ["missed"] = Missed,
    };
}
