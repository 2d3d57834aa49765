namespace DataPlatform.Benchmarks.Ingest;

/// <summary>
/// One timed ingest of every pre-loaded record: how long it took, the CPU time of the process that did the
/// work and of the Kafka serving it, and the machine's load averages before and after.
/// </summary>
public sealed record IngestFigures(int Records, double Seconds, double CpuSeconds, double KafkaCpuSeconds, string LoadBefore, string LoadAfter)
{
    public double RecordsPerSecond => Records / Seconds;

    /// <summary>The figures as the benchmark prints them (a dictionary, so a silo run can add its own).</summary>
    public Dictionary<string, object> ToJson() => new(StringComparer.Ordinal)
    {
        ["seconds"] = Math.Round(Seconds, 2),
        ["records_per_second"] = Math.Round(RecordsPerSecond),
        ["cpu_seconds"] = Math.Round(CpuSeconds, 1),
        ["cores_busy"] = Math.Round(CpuSeconds / Seconds, 2),
        ["kafka_cpu_seconds"] = Math.Round(KafkaCpuSeconds, 1),
        ["load_average_before"] = LoadBefore,
        ["load_average_after"] = LoadAfter,
    };
}
