using Xunit.Abstractions;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// A silo that joins a cluster.sh cluster of two while records are consumed takes over partitions, and every figure
/// read through the REST API and the lake's SQL still equals the LINQ reference (<see cref="ExactFigures"/>).
/// </summary>
public sealed class SiloJoinTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_silo_that_joins_while_records_are_consumed_takes_over_partitions_and_nothing_is_lost_or_doubled()
    {
        await using var script = new ClusterScript(RunningCluster.SiloArguments);
        using var api = new SiloApi(script);
        var cluster = new RunningCluster(script, api, output);
        var run = new SeededRun(RunningCluster.Seed(), RunningCluster.Records);
        var slices = run.Slices(RunningCluster.Slices);
        cluster.Log($"seed {run.Seed}: {run.All.Count} records; silo 3 joins while the second of {RunningCluster.Slices} slices is produced");
        await cluster.StartAsync(2);
        await cluster.ProduceAsync(slices[0], RunningCluster.SliceTime);

        var producing = cluster.ProduceAsync(slices[1], RunningCluster.SliceTime * 2);
        await Task.Delay(RunningCluster.SliceTime / 3);
        await script.RunAsync("start-silo", "3");
        await producing;
        cluster.Silos = [1, 2, 3];
        await cluster.WaitUntilAsync(async () => (await api.HealthAsync(3))?.PartitionsRead > 0, "silo 3 reading partitions");
        cluster.Log($"silo 3 reads {(await api.HealthAsync(3))?.PartitionsRead} partition(s)");
        foreach (var slice in slices.Skip(2))
        {
            await cluster.ProduceAsync(slice, RunningCluster.SliceTime);
        }

        await cluster.AssertExactAsync(run);
        Assert.True((await api.HealthAsync(3))?.PartitionsRead > 0, "silo 3 no longer reads any partition");
    }
}
