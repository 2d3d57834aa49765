namespace DataPlatform.Benchmarks.Ingest;

/// <summary>The machine's load averages over 1, 5 and 15 minutes: every figure here depends on them.</summary>
public static class MachineLoad
{
    public static string Now() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
