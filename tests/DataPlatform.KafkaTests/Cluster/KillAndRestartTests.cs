using DataPlatform.GrainTests;
using DataPlatform.Simulator.Generation;
using Xunit.Abstractions;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// Durable exactly-once state on PostgreSQL with three silos (docs/durability.md), through deploy/scripts/cluster.sh:
/// a seeded run goes through the standalone Kafka while silos are killed, or the whole cluster restarts, and
/// afterwards every figure read through the REST API and the lake's SQL equals the LINQ reference of a run without
/// failure (<see cref="ExactFigures"/>). Both tests share one cluster (<see cref="ThreeSiloCluster"/>).
/// </summary>
public sealed class KillAndRestartTests(ThreeSiloCluster fixture, ITestOutputHelper output) : IClassFixture<ThreeSiloCluster>
{
    [Fact]
    public async Task Three_silos_killed_three_times_while_consuming_give_exactly_the_reference_figures()
    {
        var cluster = await fixture.RunningAsync(output);
        var run = fixture.NextRun(RunningCluster.Records);
        var random = new Random(run.Seed);
        var moments = new[] { KillMoment.LakeFlush, KillMoment.Pause, KillMoment.FlushOrPersist }.OrderBy(_ => random.Next()).ToList();
        var kills = moments.Select(moment => (Moment: moment, Silo: random.Next(1, ThreeSiloCluster.Silos + 1), After: TimeSpan.FromMilliseconds(random.Next(500, 3_000)))).ToList();
        cluster.Log($"seed {run.Seed}: {run.All.Count - run.Earlier.Count} records; kills: "
            + string.Join("; ", kills.Select(kill => $"silo {kill.Silo} in a {kill.Moment.Name} {kill.After.TotalSeconds:0.0} s into a slice")));

        var slices = run.Slices(RunningCluster.Slices);
        for (var k = 0; k < kills.Count; k++)
        {
            var (moment, silo, after) = kills[k];
            var producing = cluster.ProduceAsync(slices[k], RunningCluster.SliceTime);
            await Task.Delay(after);
            await cluster.KillAsync(silo, moment, $"kill {k + 1}");
            await cluster.Script.RunAsync("start-silo", RunningCluster.Text(silo));
            await producing;
            await cluster.WaitForCheckpointAsync();
            cluster.Log($"kill {k + 1}: silo {silo} back, {(await cluster.Api.HealthAsync(silo))?.PartitionsRead} partition(s) read, checkpoint {await cluster.Script.CompletedCheckpointAsync()} completed");
        }
        await cluster.ProduceAsync(slices[^1], RunningCluster.SliceTime);

        await cluster.AssertExactAsync(run);
    }

    [Fact]
    public async Task A_cluster_restart_resumes_from_postgresql_at_the_checkpointed_offsets_and_gives_exactly_the_reference_figures()
    {
        var cluster = await fixture.RunningAsync(output);
        var run = fixture.NextRun(RunningCluster.Records);
        var slices = run.Slices(RunningCluster.Slices);
        List<SimulatedRecord> first = [.. slices.Take(RunningCluster.Slices / 2).SelectMany(slice => slice)];
        List<SimulatedRecord> before = [.. run.Earlier, .. first];
        var reference = new ReferenceAnalytics(before);
        cluster.Log($"seed {run.Seed}: {first.Count} records before the restart, {run.All.Count - before.Count} after; "
            + $"the cluster then holds {before.Count} records, {before.Count(record => record.IsMalformed)} of them malformed");
        await cluster.ProduceAsync(first, RunningCluster.SliceTime);
        await cluster.WaitForConsumptionAsync(reference.Rows.Count);
        await cluster.WaitForCheckpointAsync();

        await cluster.Script.RunAsync("restart");
        await cluster.WaitUntilAsync(cluster.ReadingAsync, "every restarted silo reading partitions");
        await cluster.WaitForCheckpointAsync();

        // State came back from PostgreSQL, and no record below the checkpointed offsets was read again: the silos'
        // dead-letter counters start at zero with the process, and the records before the restart hold malformed ones.
        var kpis = (await cluster.Api.GetAsync<Contracts.Messages.KpiSnapshot>(1, "/kpis"))!;
        var health = await cluster.HealthAsync();
        cluster.Log($"restarted: the KPIs count {kpis.TotalEvents} events and {kpis.DeadLetters} dead letters; "
            + $"the silos counted {string.Join(", ", health.Select(h => h?.DeadLetters))} dead letters since they started");
        Assert.Equal(((long)reference.Rows.Count, (long)before.Count(record => record.IsMalformed)), (kpis.TotalEvents, kpis.DeadLetters));
        Assert.All(health, h => Assert.Equal(0L, h!.DeadLetters));

        await cluster.ProduceAsync([.. slices.Skip(RunningCluster.Slices / 2).SelectMany(slice => slice)], RunningCluster.SliceTime);
        await cluster.AssertExactAsync(run);
    }
}
