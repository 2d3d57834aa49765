namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// One cluster.sh cluster of three silos, shared by the kill test and the restart test. Each test produces a run of
/// its own after whatever the cluster already holds (<see cref="SeededRun.Next"/>) and compares everything, so
/// neither depends on the other having run, or on their order. The first test to run starts it, so its log shows
/// the start.
/// </summary>
public sealed class ThreeSiloCluster : IAsyncLifetime
{
    public const int Silos = 3;

    public ThreeSiloCluster()
    {
        Script = new ClusterScript(RunningCluster.SiloArguments);
        Api = new SiloApi(Script);
    }

    public ClusterScript Script { get; }

    public SiloApi Api { get; }

    /// <summary>The last run produced to the cluster; its reference covers every run before it.</summary>
    public SeededRun? Last { get; private set; }

    private bool _started;

    /// <summary>The cluster driven by a test, started when no test did yet.</summary>
    public async Task<RunningCluster> RunningAsync(Xunit.Abstractions.ITestOutputHelper output)
    {
        var cluster = new RunningCluster(Script, Api, output);
        if (_started)
        {
            cluster.Silos = [.. Enumerable.Range(1, Silos)];
            cluster.Log($"the shared cluster of {Silos} silos holds {Last?.All.Count ?? 0} records of earlier runs");
        }
        else
        {
            await cluster.StartAsync(Silos);
            _started = true;
        }
        return cluster;
    }

    /// <summary>A run of <paramref name="records"/> after the ones the cluster holds, from now on the last one.</summary>
    public SeededRun NextRun(int records) => Last = Last?.Next(records) ?? new SeededRun(RunningCluster.Seed(), records);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Script.DisposeAsync();
    }
}
