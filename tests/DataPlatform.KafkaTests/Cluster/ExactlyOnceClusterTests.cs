using System.Diagnostics;
using System.Globalization;
using DataPlatform.Contracts.Checkpoints;
using DataPlatform.Contracts.Messages;
using DataPlatform.GrainTests;
using Xunit.Abstractions;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// Durable exactly-once state on PostgreSQL with several silos (docs/durability.md), end to end through
/// deploy/scripts/cluster.sh: the seeded run of <see cref="SeededRun"/> goes through the standalone Kafka while silos
/// are killed, the cluster restarts or a silo joins, and afterwards every figure read through the REST API and the
/// lake's SQL equals the LINQ reference of a run without failure (<see cref="ExactFigures"/>).
/// The seed is 2026 unless DP_CLUSTER_SEED names another; every kill is logged with the moment it hit.
/// </summary>
public sealed class ExactlyOnceClusterTests(ITestOutputHelper output)
{
    private const int Records = 6_000;
    private const int Slices = 4;
    private static readonly TimeSpan SliceTime = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(3);
    private static readonly string[] SiloArguments = ["--Lake:FlushInterval", "00:00:01", "--Lake:GoldSnapshotInterval", "00:00:02"];
    private readonly List<string> _log = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>
    /// A moment to kill a silo in, after the rows of docs/durability.md's table of crashes: the kill is started when
    /// the silo's /health shows <paramref name="Trigger"/>, and struck in the moment when its last answer shows <paramref name="Target"/>.
    /// </summary>
    private sealed record Moment(string Name, Func<SiloHealth, bool> Trigger, Func<SiloHealth, bool> Target)
    {
        /// <summary>Its lake writer commits rows.</summary>
        public static readonly Moment LakeFlush = new("lake flush", health => health.Flushing, health => health.Flushing);

        /// <summary>Checkpoint step 1: the silo has stopped reading and drains what it read.</summary>
        public static readonly Moment Pause = new("checkpoint pause", health => health.Phase == CheckpointPhases.Pausing,
            health => health.Phase == CheckpointPhases.Pausing);

        /// <summary>
        /// Checkpoint steps 2 and 3: the epoch's lake rows are being committed, or were, and its grain states are being
        /// written; the epoch fails with the silo, so its records are read again.
        /// </summary>
        public static readonly Moment FlushOrPersist = new("checkpoint flush or persist", health => health.Phase == CheckpointPhases.Flushing,
            health => health.Phase is CheckpointPhases.Flushing or CheckpointPhases.Persisting);
    }

    [Fact]
    public async Task Three_silos_killed_three_times_while_consuming_give_exactly_the_reference_figures()
    {
        var seed = Seed();
        var run = new SeededRun(seed, Records);
        var random = new Random(seed);
        var moments = new[] { Moment.LakeFlush, Moment.Pause, Moment.FlushOrPersist }.OrderBy(_ => random.Next()).ToList();
        var kills = moments.Select(moment => (Moment: moment, Silo: random.Next(1, 4), After: TimeSpan.FromMilliseconds(random.Next(500, 3_000)))).ToList();
        Log($"seed {seed}: {run.All.Count} records; kills: {string.Join("; ", kills.Select(kill => $"silo {kill.Silo} in a {kill.Moment.Name} {kill.After.TotalSeconds:0.0} s into a slice"))}");
        await using var cluster = new ClusterScript(SiloArguments);
        using var api = new SiloApi(cluster);
        int[] silos = [1, 2, 3];
        await StartAsync(cluster, api, silos);

        var slices = run.Slices(Slices);
        for (var k = 0; k < kills.Count; k++)
        {
            var (moment, silo, after) = kills[k];
            var producing = SeededRun.ProduceAsync(cluster.KafkaBootstrap, slices[k], SliceTime);
            await Task.Delay(after);
            Log($"kill {k + 1}: {await KillAsync(cluster, api, silo, moment)}");
            await cluster.RunAsync("start-silo", Text(silo));
            await producing;
            await WaitForCheckpointAsync(cluster, api, silos);
            Log($"kill {k + 1}: silo {silo} back, {(await api.HealthAsync(silo))?.PartitionsRead} partition(s) read, checkpoint {await cluster.CompletedCheckpointAsync()} completed");
        }
        await SeededRun.ProduceAsync(cluster.KafkaBootstrap, slices[^1], SliceTime);

        await AssertExactAsync(cluster, api, silos, run);
    }

    [Fact]
    public async Task A_cluster_restart_resumes_from_postgresql_at_the_checkpointed_offsets_and_gives_exactly_the_reference_figures()
    {
        var seed = Seed();
        var run = new SeededRun(seed, Records);
        var slices = run.Slices(Slices);
        var before = slices.Take(Slices / 2).SelectMany(slice => slice).ToList();
        var reference = new ReferenceAnalytics(before);
        Log($"seed {seed}: {before.Count} records before the restart ({before.Count(record => record.IsMalformed)} malformed), {run.All.Count - before.Count} after");
        await using var cluster = new ClusterScript(SiloArguments);
        using var api = new SiloApi(cluster);
        int[] silos = [1, 2];
        await StartAsync(cluster, api, silos);
        await SeededRun.ProduceAsync(cluster.KafkaBootstrap, before, SliceTime);
        await WaitForConsumptionAsync(cluster, api, silos, reference.Rows.Count);
        await WaitForCheckpointAsync(cluster, api, silos);

        await cluster.RunAsync("restart");
        await WaitUntilAsync(cluster, silos, async () => await ReadingAsync(api, silos), "every restarted silo reading partitions");
        await WaitForCheckpointAsync(cluster, api, silos);

        // State came back from PostgreSQL, and no record below the checkpointed offsets was read again: the silos'
        // dead-letter counters start at zero with the restart, and the records before it hold malformed ones.
        var kpis = (await api.GetAsync<KpiSnapshot>(1, "/kpis"))!;
        var health = await Task.WhenAll(silos.Select(silo => api.HealthAsync(silo)));
        Log($"after the restart: {kpis.TotalEvents} events, {kpis.DeadLetters} dead letters in the KPIs; dead letters counted by the silos since: {string.Join(", ", health.Select(h => h?.DeadLetters))}");
        Assert.Equal((reference.Rows.Count, before.Count(record => record.IsMalformed)), ((int)kpis.TotalEvents, (int)kpis.DeadLetters));
        Assert.All(health, h => Assert.Equal(0L, h!.DeadLetters));

        await SeededRun.ProduceAsync(cluster.KafkaBootstrap, [.. slices.Skip(Slices / 2).SelectMany(slice => slice)], SliceTime);
        await AssertExactAsync(cluster, api, silos, run);
    }

    [Fact]
    public async Task A_silo_that_joins_while_records_are_consumed_takes_over_partitions_and_nothing_is_lost_or_doubled()
    {
        var seed = Seed();
        var run = new SeededRun(seed, Records);
        var slices = run.Slices(Slices);
        Log($"seed {seed}: {run.All.Count} records; silo 3 joins while the second of {Slices} slices is produced");
        await using var cluster = new ClusterScript(SiloArguments);
        using var api = new SiloApi(cluster);
        await StartAsync(cluster, api, [1, 2]);
        await SeededRun.ProduceAsync(cluster.KafkaBootstrap, slices[0], SliceTime);

        var producing = SeededRun.ProduceAsync(cluster.KafkaBootstrap, slices[1], SliceTime * 2);
        await Task.Delay(SliceTime / 3);
        await cluster.RunAsync("start-silo", "3");
        await producing;
        int[] silos = [1, 2, 3];
        await WaitUntilAsync(cluster, silos, async () => (await api.HealthAsync(3))?.PartitionsRead > 0, "silo 3 reading partitions");
        Log($"silo 3 reads {(await api.HealthAsync(3))?.PartitionsRead} partition(s)");
        foreach (var slice in slices.Skip(2))
        {
            await SeededRun.ProduceAsync(cluster.KafkaBootstrap, slice, SliceTime);
        }

        await AssertExactAsync(cluster, api, silos, run);
        Assert.True((await api.HealthAsync(3))?.PartitionsRead > 0, "silo 3 no longer reads any partition");
    }

    /// <summary>Starts PostgreSQL, Kafka and <paramref name="silos"/> with cluster.sh and waits until every silo reads partitions.</summary>
    private async Task StartAsync(ClusterScript cluster, SiloApi api, int[] silos)
    {
        await cluster.RunAsync("start", Text(silos.Length), "--no-build");
        await WaitUntilAsync(cluster, silos, async () => await ReadingAsync(api, silos), "every silo reading partitions");
        Log($"{silos.Length} silos started and reading partitions");
    }

    /// <summary>
    /// Waits until the silo shows the start of <paramref name="moment"/>, then kills it with <c>cluster.sh kill</c> (started
    /// ahead, so no process start delays it) while reading its /health until it stops answering: the last answer says
    /// what it was doing when the kill struck.
    /// </summary>
    private async Task<string> KillAsync(ClusterScript cluster, SiloApi api, int silo, Moment moment)
    {
        using var kill = cluster.PrepareKill(silo);
        var seen = await WaitForAsync(cluster, [silo], () => api.HealthAsync(silo), health => health is not null && moment.Trigger(health), $"silo {silo} showing the start of a {moment.Name}", TimeSpan.Zero);
        var shown = Stopwatch.GetTimestamp();
        var watching = Task.Run(async () =>
        {
            var last = (Health: seen!, After: TimeSpan.Zero);
            while (await api.HealthAsync(silo, TimeSpan.FromSeconds(1)) is { } health)
            {
                last = (health, Stopwatch.GetElapsedTime(shown));
            }
            return last;
        });
        await kill.RunAsync();
        var (last, after) = await watching;
        var struck = moment.Target(last) ? $"the kill struck in a {moment.Name}" : $"the kill may have missed the {moment.Name}";
        return $"silo {silo} showed {Describe(seen!)}; its last answer, {after.TotalMilliseconds:0} ms later, showed {Describe(last)}: {struck}";
    }

    /// <summary>Produces the closing event and the late ones once the run is in, waits for a checkpoint after everything, and compares every figure.</summary>
    private async Task AssertExactAsync(ClusterScript cluster, SiloApi api, int[] silos, SeededRun run)
    {
        await WaitForConsumptionAsync(cluster, api, silos, run.OnTime.Rows.Count - 1);
        await SeededRun.ProduceAsync(cluster.KafkaBootstrap, [run.Closer], TimeSpan.Zero);
        await WaitForConsumptionAsync(cluster, api, silos, run.OnTime.Rows.Count);
        await SeededRun.ProduceAsync(cluster.KafkaBootstrap, run.Late, TimeSpan.Zero);
        await WaitForConsumptionAsync(cluster, api, silos, run.Reference.Rows.Count);
        await WaitForCheckpointAsync(cluster, api, silos);

        // Sessions close, segments are reviewed and gold is merged on their own schedules after that: compare
        // until nothing differs, and report what still differs at the deadline.
        Log("consumed, with a checkpoint after it");
        var figures = new ExactFigures(api, 1, run);
        var deadline = Stopwatch.GetTimestamp();
        var findings = await figures.CompareAsync();
        while (findings.Count > 0 && Stopwatch.GetElapsedTime(deadline) < TimeSpan.FromSeconds(60))
        {
            Log($"compared every figure: {findings.Count} differ, comparing again");
            await Task.Delay(TimeSpan.FromSeconds(5));
            findings = await figures.CompareAsync();
        }
        Log($"compared every figure: {(findings.Count == 0 ? "all equal the reference" : $"{findings.Count} differ")}");
        if (findings.Count > 0)
        {
            Assert.Fail($"{string.Join('\n', _log)}\nThe logs are kept in {cluster.KeepLogs()}.\n{findings}");
        }
    }

    /// <summary>Waits until the KPIs count <paramref name="events"/> events and no silo has records left to read or deliver.</summary>
    private async Task WaitForConsumptionAsync(ClusterScript cluster, SiloApi api, int[] silos, long events)
    {
        await WaitUntilAsync(cluster, silos, async () =>
        {
            var kpis = await api.GetAsync<KpiSnapshot>(silos[0], "/kpis");
            var health = await Task.WhenAll(silos.Select(silo => api.HealthAsync(silo)));
            return kpis!.TotalEvents >= events && health.All(h => h is { ConsumerLag: 0 });
        }, $"{events} events counted and no consumer lag");
    }

    /// <summary>
    /// Waits until every silo resumed from a checkpoint that began after this call: two epochs past the store's last
    /// completed one, since the next may have paused before.
    /// </summary>
    private async Task WaitForCheckpointAsync(ClusterScript cluster, SiloApi api, int[] silos)
    {
        var now = await cluster.CompletedCheckpointAsync();
        await WaitUntilAsync(cluster, silos, async () =>
        {
            var health = await Task.WhenAll(silos.Select(silo => api.HealthAsync(silo)));
            return health.All(h => h is not null && h.CompletedEpoch >= now + 2);
        }, $"a checkpoint after epoch {now} completed on every silo");
    }

    private static async Task<bool> ReadingAsync(SiloApi api, int[] silos) =>
        (await Task.WhenAll(silos.Select(silo => api.HealthAsync(silo)))).All(h => h?.PartitionsRead > 0);

    private async Task WaitUntilAsync(ClusterScript cluster, int[] silos, Func<Task<bool>> condition, string what) =>
        await WaitForAsync(cluster, silos, condition, holds => holds, what, TimeSpan.FromMilliseconds(500));

    /// <summary>Reads every <paramref name="poll"/> until the value holds; at the deadline fails with the log so far and the end of each silo's log.</summary>
    private async Task<T> WaitForAsync<T>(ClusterScript cluster, int[] silos, Func<Task<T>> read, Func<T, bool> holds, string what, TimeSpan poll)
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
                var logs = string.Join('\n', silos.Select(silo => $"silo-{silo}.log ends:\n{cluster.LogTail($"silo-{silo}", 25)}"));
                throw new TimeoutException($"Waited {Deadline.TotalMinutes:0} min for {what}; the logs are kept in {cluster.KeepLogs()}.\n{string.Join('\n', _log)}\n{logs}");
            }
            await Task.Delay(poll);
        }
    }

    /// <summary>A line of the test's log, with the seconds since the test began: the output, and the message of a failure.</summary>
    private void Log(string line)
    {
        line = $"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {line}";
        _log.Add(line);
        output.WriteLine(line);
    }

    private static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("DP_CLUSTER_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : 2026;

    private static string Describe(SiloHealth health) =>
        $"checkpoint {health.Phase} (epoch {health.CompletedEpoch} completed, generation {health.Generation}), lake {(health.Flushing ? "flushing" : "not flushing")}";

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
