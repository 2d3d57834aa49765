using System.Globalization;
using DataPlatform.Benchmarks.Ingest;
using DataPlatform.Contracts.Events;

namespace DataPlatform.Benchmarks;

/// <summary>
/// The grid taking in a backlog: the simulator's records are produced into a standalone embedded Kafka (a
/// process of its own) before any clock starts; then one silo reads them all twice, each time from the start
/// with fresh state, once with memory storage (the embedded default) and once with the cluster profile's
/// PostgreSQL storage and checkpoints, in a fresh database. Before each silo run a bare consumer reads and
/// parses the same records: the machine's own limit, measured next to the grid because absolute rates swing
/// between runs here.
/// </summary>
public static class IngestBenchmark
{
    /// <summary>The Npgsql pool of each silo in deploy/scripts/cluster.sh: PostgreSQL allows 100 connections in all.</summary>
    private const int SiloPoolSize = 20;

    /// <summary>The silo runs, in the order they run.</summary>
    public static readonly IReadOnlyList<string> Modes = ["memory", "durable"];

    /// <summary>
    /// Runs the benchmark; the figures, and every silo run that did not finish or counted differently from the
    /// records (the run failed when there is any).
    /// </summary>
    public static async Task<(Dictionary<string, object> Figures, IReadOnlyList<string> Failures)> RunAsync(
        int records, int users, int partitions, string server, IReadOnlyCollection<string> modes, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(modes);
        if (modes.FirstOrDefault(mode => !Modes.Contains(mode)) is { } unknown)
        {
            throw new ArgumentException($"--modes: '{unknown}' is not one of {string.Join(", ", Modes)}.", nameof(modes));
        }
        var directory = Directory.CreateTempSubdirectory("dp-bench-ingest-").FullName;
        var (kafka, bootstrapServers) = await StandaloneKafka.StartAsync(directory, partitions);
        await using var _ = kafka;
        // Its topics start empty: the lake's recorded Kafka positions must not be taken for another Kafka's.
        var kafkaSource = $"dp-bench-ingest-{Guid.NewGuid():N}";

        await Console.Error.WriteLineAsync($"producing {records} records of {users} users into {bootstrapServers} ...");
        var preloaded = await PreloadedRecords.ProduceAsync(bootstrapServers, records, users);
        var figures = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["benchmark"] = "ingest",
            ["records"] = records,
            ["users"] = users,
            ["partitions_per_topic"] = partitions,
            ["user_events"] = preloaded.UserEvents,
            ["records_per_topic"] = preloaded.PerTopic,
            ["produce"] = new { seconds = Math.Round(preloaded.ProduceSeconds, 2), records_per_second = Math.Round(records / preloaded.ProduceSeconds) },
        };
        var bare = new List<object>();
        figures["bare"] = bare;
        var grids = new Dictionary<string, GridFigures>(StringComparer.Ordinal);
        var failures = new List<string>();
        foreach (var mode in Modes.Where(modes.Contains))
        {
            var bareRun = await BareAsync(bootstrapServers, records, kafka);
            bare.Add(bareRun.ToJson());
            try
            {
                grids[mode] = await GridInModeAsync(mode, Path.Combine(directory, mode), server, bootstrapServers, kafkaSource, preloaded, kafka, timeout);
                figures[mode] = grids[mode].ToJson(bareRun);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                // The silo did not get there (it stalled or ended): the other mode's figures stand, the run fails.
                await Console.Error.WriteLineAsync($"{mode}: {ex.Message}");
                var reason = ex.Message.Split('\n')[0].TrimEnd(':');
                figures[mode] = new { failed = reason };
                failures.Add($"{mode}: {reason}");
            }
        }
        if (grids.TryGetValue("memory", out var memory) && grids.TryGetValue("durable", out var durable))
        {
            figures["durable_to_memory"] = Math.Round(durable.Ingest.RecordsPerSecond / memory.Ingest.RecordsPerSecond, 3);
        }

        failures.AddRange(grids.SelectMany(grid => grid.Value.Mismatches.Select(mismatch => $"{grid.Key}: {mismatch}")));
        if (failures.Count == 0)
        {
            // Kept when a run fails, for its logs.
            Directory.Delete(directory, recursive: true);
        }
        return (figures, failures);
    }

    private static async Task<IngestFigures> BareAsync(string bootstrapServers, int records, ChildProgram kafka)
    {
        var bare = await BareConsumer.RunAsync(bootstrapServers, records, kafka);
        await Console.Error.WriteLineAsync($"bare consumer: {bare.RecordsPerSecond:0} records/s (load {bare.LoadBefore})");
        return bare;
    }

    /// <summary>The memory run: the embedded default. The durable run: the cluster profile on a fresh database, pooled as in cluster.sh.</summary>
    private static async Task<GridFigures> GridInModeAsync(
        string mode, string directory, string server, string bootstrapServers, string kafkaSource, PreloadedRecords preloaded, ChildProgram kafka, TimeSpan timeout)
    {
        Directory.CreateDirectory(directory);
        await Console.Error.WriteLineAsync($"{mode}: starting a silo ...");
        GridFigures grid;
        if (mode == "memory")
        {
            grid = await GridRun.RunAsync(directory, [], bootstrapServers, kafkaSource, preloaded, kafka, timeout);
        }
        else
        {
            await using var database = await ScratchDatabase.CreateAsync(server, "dp_bench_ingest");
            grid = await GridRun.RunAsync(directory,
                [
                    "--Orleans:ClusterProvider", "AdoNet",
                    "--ConnectionStrings:Orleans", $"{database.ConnectionString};Maximum Pool Size={SiloPoolSize}",
                    "--Orleans:AdvertisedIPAddress", "127.0.0.1",
                ],
                bootstrapServers, kafkaSource, preloaded, kafka, timeout);
        }
        await Console.Error.WriteLineAsync($"{mode}: committed at {grid.CommittedSeconds:0.0} s, lake complete at {grid.LakeSeconds:0.0} s, {grid.Checkpoints} checkpoints, {grid.RollBacks} roll-backs");
        return grid;
    }
}
