using System.Diagnostics;
using System.Globalization;
using DataPlatform.Contracts.Messages;
using Xunit.Abstractions;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// A cluster.sh cluster as one test drives it: starts it, produces to its Kafka, waits for consumption and
/// checkpoints, kills silos in chosen moments, and compares every figure with the reference. Every step is logged
/// with the seconds since the test began, to the test's output and into the message of a failure.
/// </summary>
public sealed class RunningCluster(ClusterScript cluster, SiloApi api, ITestOutputHelper output)
{
    /// <summary>Records of a test's run, produced in <see cref="Slices"/> parts of <see cref="SliceTime"/> each.</summary>
    public const int Records = 6_000;

    public const int Slices = 4;

    public static readonly TimeSpan SliceTime = TimeSpan.FromSeconds(6);

    /// <summary>What every silo gets besides cluster.sh's settings: lake commits and gold merges often enough to wait for.</summary>
    public static readonly string[] SiloArguments =
    [
        "--Lake:FlushInterval", "00:00:01", "--Lake:GoldSnapshotInterval", "00:00:02",
        // What each checkpoint drained, persisted and completed: a failed run's kept logs say where a figure went wrong.
        "--Logging:LogLevel:DataPlatform.Grains.Checkpoints", "Debug",
        // A comparison reads every table through POST /query, and compares again until the figures settle.
        "--Security:QueriesPerMinute", "1000",
    ];

    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private readonly List<string> _log = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>The silos of the cluster, by number.</summary>
    public int[] Silos { get; set; } = [];

    public ClusterScript Script => cluster;

    public SiloApi Api => api;

    /// <summary>Starts PostgreSQL, Kafka and silos 1 to <paramref name="silos"/> with cluster.sh and waits until every silo reads partitions.</summary>
    public async Task StartAsync(int silos)
    {
        Silos = [.. Enumerable.Range(1, silos)];
        await cluster.RunAsync("start", Text(silos), "--no-build");
        await WaitUntilAsync(ReadingAsync, "every silo reading partitions");
        Log($"{silos} silos started and reading partitions");
    }

    /// <summary>Produces records to the cluster's Kafka in order, spread over <paramref name="over"/>.</summary>
    public Task ProduceAsync(IReadOnlyList<Simulator.Generation.SimulatedRecord> records, TimeSpan over) =>
        SeededRun.ProduceAsync(cluster.KafkaBootstrap, records, over);

    /// <summary>True when every silo answers and reads partitions.</summary>
    public async Task<bool> ReadingAsync() => (await HealthAsync()).All(health => health?.PartitionsRead > 0);

    /// <summary>Every silo's /health, null for one that does not answer.</summary>
    public async Task<SiloHealth?[]> HealthAsync() => await Task.WhenAll(Silos.Select(silo => api.HealthAsync(silo)));

    /// <summary>Waits until the KPIs count <paramref name="events"/> events and no silo has records left to read or deliver.</summary>
    public async Task WaitForConsumptionAsync(long events) => await WaitUntilAsync(async () =>
    {
        var kpis = await api.GetAsync<KpiSnapshot>(Silos[0], "/kpis");
        return kpis!.TotalEvents >= events && (await HealthAsync()).All(health => health is { ConsumerLag: 0 });
    }, $"{events} events counted and no consumer lag");

    /// <summary>
    /// Waits until every silo resumed from a checkpoint that began after this call: two epochs past the store's last
    /// completed one, since the next may have paused before.
    /// </summary>
    public async Task WaitForCheckpointAsync()
    {
        var now = await cluster.CompletedCheckpointAsync();
        await WaitUntilAsync(async () => (await HealthAsync()).All(health => health?.CompletedEpoch >= now + 2),
            $"a checkpoint after epoch {now} completed on every silo");
    }

    /// <summary>
    /// Waits until silo <paramref name="silo"/> shows the start of <paramref name="moment"/>, then kills it with
    /// <c>cluster.sh kill</c> (started ahead, so no process start delays it) while reading its /health until it stops
    /// answering; logs what the last answer showed: whether the kill struck in the moment.
    /// </summary>
    public async Task KillAsync(int silo, KillMoment moment, string name)
    {
        using var kill = cluster.PrepareKill(silo);
        var seen = (await WaitForAsync(() => api.HealthAsync(silo), health => health is not null && moment.Trigger(health),
            $"silo {silo} showing the start of a {moment.Name}", TimeSpan.Zero))!;
        var shown = Stopwatch.GetTimestamp();
        var watching = Task.Run(async () =>
        {
            var last = (Health: seen, After: TimeSpan.Zero);
            while (await api.HealthAsync(silo, TimeSpan.FromSeconds(1)) is { } health)
            {
                last = (health, Stopwatch.GetElapsedTime(shown));
            }
            return last;
        });
        await kill.RunAsync();
        var (last, after) = await watching;
        var struck = moment.Target(last) ? $"the kill struck in a {moment.Name}" : $"the kill may have missed the {moment.Name}";
        Log($"{name}: silo {silo} showed {Describe(seen)}; its last answer, {after.TotalMilliseconds:0} ms later, showed {Describe(last)}: {struck}");
    }

    /// <summary>
    /// Produces the run's closing event once the run is in and its late ones once a checkpoint holds the closing
    /// event, waits for a checkpoint after everything, then compares every figure until none differs (sessions close,
    /// segments are reviewed and gold is merged on their own schedules) and fails with what still differs at the deadline.
    /// </summary>
    /// <remarks>
    /// Whether an event is late depends on the watermark when it is merged. A roll-back replays records of different
    /// partitions in whatever order the silos read them again, so late events produced before the closing event is
    /// checkpointed could be replayed ahead of it and count as on time (docs/durability.md, "Late events and roll-backs").
    /// </remarks>
    public async Task AssertExactAsync(SeededRun run)
    {
        await WaitForConsumptionAsync(run.OnTime.Rows.Count - 1);
        await ProduceAsync([run.Closer], TimeSpan.Zero);
        await WaitForConsumptionAsync(run.OnTime.Rows.Count);
        await WaitForCheckpointAsync();
        await ProduceAsync(run.Late, TimeSpan.Zero);
        await WaitForConsumptionAsync(run.Reference.Rows.Count);
        await WaitForCheckpointAsync();
        Log("consumed, with a checkpoint after it");

        var figures = new ExactFigures(api, Silos[0], run);
        var started = Stopwatch.GetTimestamp();
        var findings = await figures.CompareAsync();
        while (findings.Count > 0 && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(60))
        {
            Log($"compared every figure: {findings.Count} differ, comparing again");
            await Task.Delay(TimeSpan.FromSeconds(5));
            findings = await figures.CompareAsync();
        }
        Log($"compared every figure: {(findings.Count == 0 ? "all equal the reference" : $"{findings.Count} differ")}");
        if (findings.Count > 0)
        {
            Assert.Fail($"{Report()}\nThe logs are kept in {cluster.KeepLogs()}.\n{findings}");
        }
    }

    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what) =>
        await WaitForAsync(condition, holds => holds, what, TimeSpan.FromMilliseconds(500));

    /// <summary>Reads every <paramref name="poll"/> until the value holds; at the deadline fails with the log so far and the end of each silo's log.</summary>
    public async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> holds, string what, TimeSpan poll)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var value = await read();
            if (holds(value))
            {
                return value;
            }
            if (Stopwatch.GetElapsedTime(started) > Deadline)
            {
                var logs = string.Join('\n', Silos.Select(silo => $"silo-{silo}.log ends:\n{cluster.LogTail($"silo-{silo}", 25)}"));
                throw new TimeoutException($"Waited {Deadline.TotalMinutes:0} min for {what}; the logs are kept in {cluster.KeepLogs()}.\n{Report()}\n{logs}");
            }
            await Task.Delay(poll);
        }
    }

    /// <summary>A line of the test's log, with the seconds since the test began.</summary>
    public void Log(string line)
    {
        line = $"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {line}";
        _log.Add(line);
        output.WriteLine(line);
    }

    /// <summary>The test's log so far.</summary>
    public string Report() => string.Join('\n', _log);

    /// <summary>The seed of the cluster tests: 2026 unless DP_CLUSTER_SEED names another.</summary>
    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("DP_CLUSTER_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 2026;

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Describe(SiloHealth health) =>
        $"checkpoint {health.Phase} (epoch {health.CompletedEpoch} completed, generation {health.Generation}), lake {(health.Flushing ? "flushing" : "not flushing")}";
}
