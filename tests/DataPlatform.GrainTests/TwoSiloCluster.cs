using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Validation;
using DataPlatform.Contracts.Grains;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Hosting;
using DataPlatform.Grains.Ingestion;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace DataPlatform.GrainTests;

/// <summary>
/// Two silos with memory streams (8 queues) and DataPlatform's grains. Start-up waits until both silos
/// run their stream agents: events published while queues move between silos can be lost.
/// </summary>
public class TwoSiloCluster : IAsyncLifetime
{
    private readonly TimeSpan? _allowedLateness;
    private readonly TimeSpan? _checkpointInterval;

    public TwoSiloCluster()
    {
    }

    /// <summary>
    /// A cluster whose KPI windows accept events this late (instead of the default 10 minutes) and whose
    /// checkpoints come this often (instead of every 2 seconds).
    /// </summary>
    protected TwoSiloCluster(TimeSpan? allowedLateness = null, TimeSpan? checkpointInterval = null)
    {
        _allowedLateness = allowedLateness;
        _checkpointInterval = checkpointInterval;
    }

    public const string StreamProvider = "events";
    public const int Queues = 8;

    public TestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    /// <summary>The cluster's lake, in a temporary directory removed with the cluster.</summary>
    public string LakeRoot { get; } = Path.Combine(Path.GetTempPath(), "dp-grain-lake-" + Guid.NewGuid().ToString("N"));

    /// <summary>The lake writer of the first silo (what in-process ingestion writes bronze through).</summary>
    public LakeWriter LakeWriter => Services(Cluster.Primary!).GetRequiredService<LakeWriter>();

    /// <summary>
    /// Commits every row the silos' lake writers hold, gold included: grains' rows through a completed
    /// checkpoint, the rest through the writers.
    /// </summary>
    public async Task FlushLakeAsync()
    {
        await CheckpointAsync();
        await Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).PublishGoldAsync();
        foreach (var silo in Cluster.GetActiveSilos())
        {
            var writer = Services(silo).GetRequiredService<LakeWriter>();
            await writer.FlushAppendsAsync(CancellationToken.None);
            await writer.FlushSnapshotsAsync(CancellationToken.None);
            // What the merges quarantined is appended to bronze.quarantine.
            await writer.FlushAppendsAsync(CancellationToken.None);
        }
    }

    /// <summary>Completes a checkpoint that starts now (every silo's participant has joined once it completes).</summary>
    public async Task CheckpointAsync()
    {
        var coordinator = Client.GetGrain<ICheckpointCoordinatorGrain>(0);
        var before = await coordinator.GetStatusAsync();
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while ((await coordinator.CheckpointNowAsync()).CompletedEpoch <= before.CompletedEpoch)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no checkpoint completed within a minute: {await coordinator.GetStatusAsync()}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Rolls every silo back to the last completed checkpoint under a new recovery generation, step by step as
    /// the coordinator does (which, with no Kafka in this cluster, never rolls back by itself).
    /// </summary>
    public async Task<CheckpointRecord> RollBackAsync()
    {
        var participants = Cluster.GetActiveSilos().Select(silo => Services(silo).GetRequiredService<CheckpointParticipant>()).ToList();
        await Task.WhenAll(participants.Select(participant => participant.PauseAsync(rollingBack: true)));
        var record = await PrimaryServices.GetRequiredService<ICheckpointStore>().RollBackAsync(CancellationToken.None);
        await Task.WhenAll(participants.Select(participant => participant.RollBackAsync(record)));
        await Task.WhenAll(participants.Select(participant => participant.ResumeAsync(record.CompletedEpoch, [])));
        return record;
    }

    /// <summary>The services of the first silo (its KPI pre-aggregator, reporting service, lake writer).</summary>
    public IServiceProvider PrimaryServices => Services(Cluster.Primary!);

    /// <summary>
    /// The edge in front of the cluster's streams, as Kafka ingestion uses it. Rejected records go to
    /// <paramref name="deadLetters"/>; without one, a rejected record fails the test.
    /// </summary>
    public StreamIngestor Ingestor(IDeadLetterSink? deadLetters = null) => new(
        Client.GetStreamProvider(StreamProvider),
        new EventDecoder(new EdgeValidationOptions(), TimeProvider.System),
        deadLetters ?? new NoDeadLetters(),
        LakeWriter,
        TimeProvider.System,
        NullLogger<StreamIngestor>.Instance);

    private sealed class NoDeadLetters : IDeadLetterSink
    {
        public ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken) =>
            throw new InvalidOperationException($"unexpected dead letter: {deadLetter.Reason}");
    }

    private static IServiceProvider Services(SiloHandle silo) => ((InProcessSiloHandle)silo).SiloHost.Services;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.Properties["Lake:Root"] = LakeRoot;
        // Rows wait for explicit flushes in tests (FlushLakeAsync); timers only as a backstop.
        builder.Properties["Lake:FlushInterval"] = "00:00:05";
        builder.Properties["Lake:GoldSnapshotInterval"] = "00:00:05";
        if (_allowedLateness is { } lateness)
        {
            builder.Properties["Kpis:AllowedLateness"] = lateness.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
        if (_checkpointInterval is { } interval)
        {
            builder.Properties["Checkpoints:Interval"] = interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture);
        }
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await WaitForStreamAgentsAsync(TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (Directory.Exists(LakeRoot))
        {
            Directory.Delete(LakeRoot, recursive: true);
        }
    }

    private async Task WaitForStreamAgentsAsync(TimeSpan timeout)
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var perSilo = await management.SendControlCommandToProvider<PersistentStreamProvider>(
                StreamProvider, (int)PersistentStreamProviderCommand.GetNumberRunningAgents);
            var agents = perSilo.Select(Convert.ToInt32).ToList();
            if (agents.Count == 2 && agents.All(count => count > 0) && agents.Sum() == Queues)
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Stream agents did not settle: {string.Join(", ", agents)}");
            }
            await Task.Delay(250);
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorageAsDefault();
            siloBuilder.AddMemoryGrainStorage("PubSubStore");
            siloBuilder.AddMemoryStreams(StreamProvider, streams => streams.ConfigurePartitioning(Queues));
            siloBuilder.Services.AddSingleton<ICheckpointStore>(sp =>
            {
                var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
                return new HoldableCheckpointStore(MemoryCheckpointStore.ForCluster(cluster.ServiceId, cluster.ClusterId));
            });
            siloBuilder.AddDataPlatformGrains();
            siloBuilder.Services.Configure<PlatformStreamOptions>(options => options.ProviderName = StreamProvider);
            siloBuilder.Services.Configure<KpiOptions>(siloBuilder.Configuration.GetSection("Kpis"));
            siloBuilder.Services.Configure<LakeOptions>(siloBuilder.Configuration.GetSection(LakeOptions.SectionName));
            siloBuilder.Services.Configure<CheckpointOptions>(siloBuilder.Configuration.GetSection(CheckpointOptions.SectionName));
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddMemoryStreams(StreamProvider, streams => streams.ConfigurePartitioning(Queues));
    }
}

[CollectionDefinition(Name)]
public sealed class TwoSiloClusterDefinition : ICollectionFixture<TwoSiloCluster>
{
    public const string Name = "two silos";
}

/// <summary>
/// A separate cluster for the multi-day acceptance run, so its totals never mix with other tests'. The
/// test publishes days of event time in seconds, far faster than two silos process them, so windows
/// accept a day of lateness there; its late events are days late.
/// </summary>
public sealed class AcceptanceCluster() : TwoSiloCluster(allowedLateness: TimeSpan.FromDays(1));

[CollectionDefinition(Name)]
public sealed class AcceptanceClusterDefinition : ICollectionFixture<AcceptanceCluster>
{
    public const string Name = "acceptance cluster";
}

/// <summary>A separate cluster for lookups of unknown ids, so its few known users never mix with other tests' figures.</summary>
public sealed class LookupCluster : TwoSiloCluster;

[CollectionDefinition(Name)]
public sealed class LookupClusterDefinition : ICollectionFixture<LookupCluster>
{
    public const string Name = "lookup cluster";
}

/// <summary>A cluster whose checkpoints never come by themselves, so a test can hold the checkpoint gates closed.</summary>
public sealed class HeldGateCluster() : TwoSiloCluster(checkpointInterval: TimeSpan.FromHours(1))
{
    public IEnumerable<CheckpointGate> Gates => Cluster.GetActiveSilos()
        .Select(silo => ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<CheckpointGate>());
}

[CollectionDefinition(Name)]
public sealed class HeldGateClusterDefinition : ICollectionFixture<HeldGateCluster>
{
    public const string Name = "held gate cluster";
}
