using Xunit.Abstractions;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// A silo that joins a cluster.sh cluster of two while records are consumed takes over partitions, and every figure
/// read through the REST API and the lake's SQL still equals the LINQ reference (<see cref="ExactFigures"/>).
/// </summary>
public sealed class SiloJoinTests(ITestOutputHelper output)
{
    /// <summary>
    /// Small slices, so that records keep coming while the silo starts and until it reads partitions, for up to
    /// <see cref="SlicesWhileJoining"/> slices; the rest comes after.
    /// </summary>
    private const int Slices = 40;

    private const int SlicesWhileJoining = 30;

    private static readonly TimeSpan SliceTime = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_silo_that_joins_while_records_are_consumed_takes_over_partitions_and_nothing_is_lost_or_doubled()
    {
        await using var script = new ClusterScript(RunningCluster.SiloArguments);
        using var api = new SiloApi(script);
        var cluster = new RunningCluster(script, api, output);
        var run = new SeededRun(RunningCluster.Seed(), RunningCluster.Records);
        var slices = run.Slices(Slices);
        cluster.Log($"seed {run.Seed}: {run.All.Count} records in {Slices} slices of {SliceTime.TotalSeconds:0} s; silo 3 joins from the second one on");
        await cluster.StartAsync(2);
        await cluster.ProduceAsync(slices[0], SliceTime);

        var joining = script.RunAsync("start-silo", "3");
        var next = 1;
        while (next <= SlicesWhileJoining && !((await api.HealthAsync(3))?.PartitionsRead > 0))
        {
            await cluster.ProduceAsync(slices[next++], SliceTime);
        }
        await joining;
        cluster.Silos = [1, 2, 3];
        await cluster.WaitUntilAsync(async () => (await api.HealthAsync(3))?.PartitionsRead > 0, "silo 3 reading partitions");
        cluster.Log($"silo 3 reads {(await api.HealthAsync(3))?.PartitionsRead} partition(s); {next - 1} slice(s) were produced while it started"
            + (next > SlicesWhileJoining ? ", and it took longer than those" : ""));
        await cluster.ProduceAsync([.. slices.Skip(next).SelectMany(slice => slice)], SliceTime);

        await cluster.AssertExactAsync(run);
        Assert.True((await api.HealthAsync(3))?.PartitionsRead > 0, "silo 3 no longer reads any partition");
    }
}
