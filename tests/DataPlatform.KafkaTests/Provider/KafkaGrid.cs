using Confluent.Kafka;
using DataPlatform.Streaming.Kafka;
using DataPlatform.Streaming.Kafka.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace DataPlatform.KafkaTests.Provider;

/// <summary>
/// An embedded Kafka and a TestingHost cluster whose silos consume one topic through the Kafka
/// provider into <see cref="SequenceGrain"/>s. Start-up waits until the silos run agents for every partition.
/// </summary>
public sealed class KafkaGrid : IAsyncDisposable
{
    public const string Provider = "kafka";
    public const string Topic = "sequences";

    private KafkaGrid(EmbeddedKafka.EmbeddedKafka kafka, TestCluster cluster, int partitions)
    {
        Kafka = kafka;
        Cluster = cluster;
        Partitions = partitions;
    }

    public EmbeddedKafka.EmbeddedKafka Kafka { get; }

    public TestCluster Cluster { get; }

    public int Partitions { get; }

    public static async Task<KafkaGrid> StartAsync(int silos, int partitions, int brokers = 1)
    {
        var kafka = EmbeddedKafka.EmbeddedKafka.Start(new EmbeddedKafka.EmbeddedKafkaOptions { Brokers = brokers, Topics = { [Topic] = partitions } });
        var builder = new TestClusterBuilder((short)silos);
        builder.Properties["KafkaBootstrap"] = kafka.BootstrapServers;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        var grid = new KafkaGrid(kafka, cluster, partitions);
        await grid.WaitForAgentsAsync(silos);
        return grid;
    }

    /// <summary>Waits until the given number of silos together run one agent per partition.</summary>
    public async Task WaitForAgentsAsync(int silos)
    {
        var management = Cluster.Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var agents = (await management.SendControlCommandToProvider<PersistentStreamProvider>(
                Provider, (int)PersistentStreamProviderCommand.GetNumberRunningAgents)).Select(Convert.ToInt32).ToList();
            if (agents.Count == silos && agents.Sum() == Partitions && agents.All(count => count > 0))
            {
                return;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"agents did not settle: {string.Join(", ", agents)}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>The partitions each running silo owns, from its own statistics.</summary>
    public IReadOnlyList<int> OwnedPartitionsPerSilo() =>
        [.. Cluster.Silos.OfType<InProcessSiloHandle>()
            .Select(silo => silo.SiloHost.Services.GetRequiredService<KafkaStreamStatistics>().Partitions.Count(p => p.Owned))];

    public static KafkaStreamStatistics StatisticsOf(SiloHandle silo) =>
        ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<KafkaStreamStatistics>();

    /// <summary>Produces "1".."n" (as text) for every key, in order per key.</summary>
    public async Task ProduceAsync(IReadOnlyList<string> keys, long from, long to, TimeSpan pause = default)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Kafka.BootstrapServers,
            EnableIdempotence = true,
            LingerMs = 2,
            MessageTimeoutMs = 120_000,
        }).Build();
        for (var sequence = from; sequence <= to; sequence++)
        {
            foreach (var key in keys)
            {
                producer.Produce(Topic, new Message<string, string> { Key = key, Value = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }
            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(120)));
    }

    public async Task ProduceRawAsync(string key, params string[] values)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = Kafka.BootstrapServers }).Build();
        foreach (var value in values)
        {
            await producer.ProduceAsync(Topic, new Message<string, string> { Key = key, Value = value });
        }
    }

    /// <summary>Waits until every key has received 1..n at least once.</summary>
    public static async Task WaitForAllAsync(IReadOnlyList<string> keys, long count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (keys.Any(key => DeliveryLog.DistinctCount(key) < count))
        {
            if (DateTime.UtcNow > deadline)
            {
                var behind = keys.Where(key => DeliveryLog.DistinctCount(key) < count)
                    .Select(key => $"{key}={DeliveryLog.DistinctCount(key)}");
                throw new TimeoutException($"not all delivered within {timeout}: {string.Join(", ", behind.Take(10))}");
            }
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        await Kafka.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var bootstrap = siloBuilder.Configuration["KafkaBootstrap"]!;
            siloBuilder.AddMemoryGrainStorage("PubSubStore");
            siloBuilder.AddKafkaStreams(Provider, options =>
            {
                options.BootstrapServers = bootstrap;
                options.ConsumerGroup = "kafka-tests";
                options.CommitInterval = TimeSpan.FromMilliseconds(500);
                options.Topics.Add(KafkaTopicOptions.Map(Topic, SequenceGrain.Namespace));
            });
            siloBuilder.Services.AddSingleton<IKafkaRecordDecoder, SequenceDecoder>();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.AddKafkaStreams(Provider, options =>
            {
                options.BootstrapServers = configuration["KafkaBootstrap"]!;
                options.Topics.Add(KafkaTopicOptions.Map(Topic, SequenceGrain.Namespace));
            });
    }
}
