using System.Diagnostics;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Users;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;

namespace DataPlatform.Benchmarks.Ingest;

/// <summary>
/// One silo (<see cref="BenchmarkSilo"/>) taking in the pre-loaded records from the start. The clock starts when /health answers
/// and stops when the consumer lag is 0 and the KPI grain counts every distinct user event. After that,
/// untimed: the next completed checkpoint is awaited (it commits the last records' state and lake rows) and
/// bronze and silver are counted; with an idle time, the silo then idles that long. Counts that differ from
/// the records' are returned, not thrown: the timing stands, and the caller fails the run.
/// </summary>
public static class GridRun
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan AfterCountedTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the silo with <paramref name="profile"/> settings on top of the common ones and times it.</summary>
    public static async Task<GridFigures> RunAsync(
        string directory, IReadOnlyList<string> profile, string bootstrapServers, string kafkaSource,
        PreloadedRecords expected, ChildProgram kafka, TimeSpan timeout, TimeSpan idleAfter = default)
    {
        await using var silo = await BenchmarkSilo.StartAsync(directory, profile, bootstrapServers, kafkaSource);
        var residentAtReady = silo.Process.ResidentBytes;
        var loadBefore = MachineLoad.Now();
        var (siloCpu, kafkaCpu) = (silo.Process.CpuTime, kafka.CpuTime);
        var readyAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var eventsAtReady = (await silo.KpisAsync(clock, timeout)).TotalEvents;
        var kpis = await silo.WaitUntilCountedAsync(expected.UserEvents, clock, timeout);
        var countedAt = DateTimeOffset.UtcNow;
        var ingest = new IngestFigures(expected.Records, clock.Elapsed.TotalSeconds,
            (silo.Process.CpuTime - siloCpu).TotalSeconds, (kafka.CpuTime - kafkaCpu).TotalSeconds, loadBefore, MachineLoad.Now());
        await Console.Error.WriteLineAsync(
            $"every record read, {kpis.TotalEvents} events counted: {ingest.RecordsPerSecond:0} records/s in {ingest.Seconds:0.0} s, {ingest.CpuSeconds:0.0} s CPU (load {ingest.LoadBefore} → {ingest.LoadAfter})");

        var checkpoint = await CheckpointAfterAsync(silo, countedAt);
        var mismatches = await LakeMismatchesAsync(silo, expected);
        var lakeSeconds = clock.Elapsed.TotalSeconds;
        var residentAtEnd = silo.Process.ResidentBytes;
        IdleFigures? idle = null;
        if (idleAfter > TimeSpan.Zero)
        {
            var activeAtEnd = await UserActivationsAsync(silo);
            await Console.Error.WriteLineAsync($"{activeAtEnd} user grains active; idle for {idleAfter.TotalSeconds:0} s ...");
            await Task.Delay(idleAfter);
            silo.Process.EnsureRunning(TimeSpan.Zero, idleAfter, "the end of the idle time");
            idle = new IdleFigures(idleAfter, activeAtEnd, await UserActivationsAsync(silo), silo.Process.ResidentBytes);
        }
        if (kpis.MismatchWith(expected.UserEvents) is { } mismatch)
        {
            mismatches.Insert(0, mismatch);
        }
        return new GridFigures(ingest, silo.StartupSeconds, eventsAtReady, kpis.TotalEvents, (checkpoint.CompletedAt!.Value - readyAt).TotalSeconds,
            lakeSeconds, checkpoint.CompletedEpoch, checkpoint.RollBacks, residentAtReady, residentAtEnd, idle, mismatches);
    }

    /// <summary>The coordinator's status once a checkpoint completed after <paramref name="after"/>.</summary>
    public static Task<CheckpointStatus> CheckpointAfterAsync(BenchmarkSilo silo, DateTimeOffset after) =>
        silo.WithClientAsync(async client =>
        {
            var coordinator = client.GetGrain<ICheckpointCoordinatorGrain>(0);
            var waiting = Stopwatch.StartNew();
            while (true)
            {
                var status = await coordinator.GetStatusAsync();
                if (status.CompletedAt > after)
                {
                    return status;
                }
                silo.Process.EnsureRunning(waiting.Elapsed, AfterCountedTimeout, "a checkpoint completed after every record was counted");
                await Task.Delay(PollInterval);
            }
        });

    /// <summary>The user grains active in the silo, as Orleans' management grain counts them.</summary>
    private static Task<long> UserActivationsAsync(BenchmarkSilo silo) =>
        silo.WithClientAsync(async client =>
            (await client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
                .Where(statistic => statistic.GrainType.Contains(typeof(UserGrain).FullName!, StringComparison.Ordinal))
                .Sum(statistic => (long)statistic.ActivationCount));

    /// <summary>
    /// Waits until bronze holds as many rows as each topic has records and silver as many as there are distinct
    /// events (or the timeout passes), and says where the counts differ.
    /// </summary>
    public static async Task<List<string>> LakeMismatchesAsync(BenchmarkSilo silo, PreloadedRecords expected)
    {
        using var engine = new LakeQueryEngine(new LakeOptions { Root = silo.LakeRoot }, PlatformTables.All);
        List<(string Table, long Rows)> wanted =
        [
            .. expected.PerTopic.Select(topic => (PlatformTables.BronzeTableOf(topic.Key), topic.Value)),
            ("silver.app_events", expected.AppEvents),
            ("silver.clickstream", expected.Clicks),
        ];
        var waiting = Stopwatch.StartNew();
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        while (waiting.Elapsed < AfterCountedTimeout && !wanted.All(want => held.GetValueOrDefault(want.Table) >= want.Rows))
        {
            silo.Process.EnsureRunning(TimeSpan.Zero, AfterCountedTimeout, "every record in bronze and silver");
            await Task.Delay(TimeSpan.FromSeconds(1));
            foreach (var (table, _) in wanted)
            {
                try
                {
                    held[table] = (await engine.ExecuteAsync($"SELECT count(*) FROM {table}", null, CancellationToken.None)).Rows[0][0].GetInt64();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A table without a committed file yet cannot be queried: the next checkpoint commits one.
                    held[table] = 0;
                }
            }
        }
        return [.. wanted.Where(want => held.GetValueOrDefault(want.Table) != want.Rows)
            .Select(want => $"{want.Table} holds {held.GetValueOrDefault(want.Table)} rows of {want.Rows}")];
    }
}
