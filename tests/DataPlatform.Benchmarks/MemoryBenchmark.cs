using DataPlatform.Benchmarks.Ingest;

namespace DataPlatform.Benchmarks;

/// <summary>
/// Resident memory per user: one app event for each of <c>users</c> users nobody saw before is produced into a
/// standalone embedded Kafka, then one silo in the embedded default (memory storage) takes them in as in
/// <see cref="GridRun"/>. The silo's resident memory when /health first answers and once the lake holds every
/// record gives the memory each user's live state and activation cost (user grains stay active for Orleans'
/// collection age, <c>Grains:CollectionAge</c>, five minutes by default, so every one of them is still in memory).
/// With an idle time, the silo runs with a collection age of 90 seconds and its resident memory is read again
/// after idling that long: what an idle user costs once its grain is collected.
/// </summary>
public static class MemoryBenchmark
{
    public static async Task<(Dictionary<string, object> Figures, IReadOnlyList<string> Failures)> RunAsync(int users, int partitions, TimeSpan idle, TimeSpan timeout)
    {
        var directory = Directory.CreateTempSubdirectory("dp-bench-memory-").FullName;
        var (kafka, bootstrapServers) = await StandaloneKafka.StartAsync(directory, partitions);
        await using var _ = kafka;
        await Console.Error.WriteLineAsync($"producing one event for each of {users} users into {bootstrapServers} ...");
        var preloaded = await PreloadedRecords.ProduceDistinctUsersAsync(bootstrapServers, users);

        var silo = Path.Combine(directory, "memory");
        Directory.CreateDirectory(silo);
        string[] profile = idle > TimeSpan.Zero ? ["--Grains:CollectionAge", "00:01:30"] : [];
        var grid = await GridRun.RunAsync(silo, profile, bootstrapServers, $"dp-bench-memory-{Guid.NewGuid():N}", preloaded, kafka, timeout, idle);
        var grown = grid.ResidentBytesAtEnd - grid.ResidentBytesAtReady;
        var figures = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["benchmark"] = "memory",
            ["users"] = users,
            ["partitions_per_topic"] = partitions,
            ["records_per_second"] = Math.Round(grid.Ingest.RecordsPerSecond),
            ["resident_mib_at_ready"] = Math.Round(grid.ResidentBytesAtReady / 1048576.0, 1),
            ["resident_mib_at_end"] = Math.Round(grid.ResidentBytesAtEnd / 1048576.0, 1),
            ["resident_bytes_per_user"] = Math.Round((double)grown / users),
            ["idle_seconds"] = idle.TotalSeconds,
            ["mismatches"] = grid.Mismatches,
        };
        if (grid.Idle is { } idled)
        {
            figures["user_grains_active_at_end"] = idled.UserActivationsAtEnd;
            figures["user_grains_active_after_idle"] = idled.UserActivationsAfterIdle;
            figures["resident_mib_after_idle"] = Math.Round(idled.ResidentBytesAfterIdle / 1048576.0, 1);
        }
        await Console.Error.WriteLineAsync($"{users} users: {grid.ResidentBytesAtReady / 1048576.0:0} MiB at ready, {grid.ResidentBytesAtEnd / 1048576.0:0} MiB at the end, {(double)grown / users:0} bytes per user");
        if (grid.Mismatches.Count == 0)
        {
            Directory.Delete(directory, recursive: true);
        }
        return (figures, [.. grid.Mismatches]);
    }
}
