using Confluent.Kafka;
using DataPlatform.Streaming.Kafka;
using DataPlatform.Streaming.Kafka.Providers;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;

namespace DataPlatform.KafkaTests.Provider;

public sealed class ProviderBehaviourTests : IAsyncLifetime
{
    private KafkaGrid _grid = null!;

    public async Task InitializeAsync() => _grid = await KafkaGrid.StartAsync(silos: 2, partitions: 4);

    public async Task DisposeAsync() => await _grid.DisposeAsync();

    [Fact]
    public async Task An_undecodable_record_is_a_dead_letter_and_never_stops_its_partition()
    {
        await _grid.ProduceRawAsync("undecodable", "1", "not a number", "2", "throw", "3");

        await KafkaGrid.WaitForAllAsync(["undecodable"], 3, TimeSpan.FromSeconds(30));
        Assert.True(DeliveryLog.ArrivesInOrder("undecodable", out var problem), problem);
        var reasons = _grid.Cluster.Silos.Select(KafkaGrid.StatisticsOf)
            .SelectMany(statistics => statistics.DeadLettersByReason)
            .GroupBy(pair => pair.Key)
            .ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value));
        Assert.Equal(1, reasons["not_a_number"]);
        Assert.Equal(1, reasons["decoder_error"]);
    }

    [Fact]
    public async Task Events_published_on_an_orleans_stream_reach_kafka_keyed_by_the_stream()
    {
        var streamId = StreamId.Create(SequenceGrain.Namespace, "published");
        var stream = _grid.Cluster.Client.GetStreamProvider(KafkaGrid.Provider).GetStream<byte[]>(streamId);

        await stream.OnNextAsync("1"u8.ToArray());
        await stream.OnNextAsync("2"u8.ToArray());

        // Round trip: the grid's own receivers deliver them to the grain of that key.
        await KafkaGrid.WaitForAllAsync(["published"], 2, TimeSpan.FromSeconds(30));
        // And they are ordinary Kafka records, keyed by the stream key, on the stream's partition.
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = _grid.Kafka.BootstrapServers,
            GroupId = "inspect",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        var mapper = new KafkaQueueMapper([(SequenceGrain.Namespace, KafkaGrid.Topic, _grid.Partitions)]);
        consumer.Assign(new TopicPartitionOffset(KafkaGrid.Topic, mapper.PartitionOf(streamId), Offset.Beginning));
        var values = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (values.Count < 2 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result && result.Message.Key == "published")
            {
                values.Add(result.Message.Value);
            }
        }
        Assert.Equal(["1", "2"], values);
    }

    [Fact]
    public async Task A_rewind_replays_a_topic_from_an_offset()
    {
        await _grid.ProduceRawAsync("rewound", "1", "2", "3");
        await KafkaGrid.WaitForAllAsync(["rewound"], 3, TimeSpan.FromSeconds(30));
        var before = DeliveryLog.Of("rewound").Count;

        var answers = await _grid.Cluster.Client.GetGrain<IManagementGrain>(0).SendControlCommandToProvider<PersistentStreamProvider>(
            KafkaGrid.Provider, KafkaStreamCommands.Rewind, new KafkaRewindRequest { Topic = KafkaGrid.Topic, Offset = 0 });

        Assert.Equal(_grid.Partitions, answers.Sum(Convert.ToInt32));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DeliveryLog.Of("rewound").Count < before + 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        Assert.Equal(before + 3, DeliveryLog.Of("rewound").Count);
        Assert.Equal(3, DeliveryLog.DistinctCount("rewound"));

        // From a point in time after every record: the partitions move to their end and nothing replays.
        // (librdkafka's mock cluster answers every time lookup with "no such offset", so a rewind by time
        // to the past can only be exercised against a real Kafka.)
        var byTime = await _grid.Cluster.Client.GetGrain<IManagementGrain>(0).SendControlCommandToProvider<PersistentStreamProvider>(
            KafkaGrid.Provider, KafkaStreamCommands.Rewind,
            new KafkaRewindRequest { Topic = KafkaGrid.Topic, FromTime = DateTimeOffset.UtcNow.AddMinutes(10) });
        Assert.Equal(_grid.Partitions, byTime.Sum(Convert.ToInt32));
        // Receivers apply a rewind on their next poll (every 100 ms); give them that before producing more.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await _grid.ProduceRawAsync("rewound", "4");
        await KafkaGrid.WaitForAllAsync(["rewound"], 4, TimeSpan.FromSeconds(30));
        Assert.Equal(before + 4, DeliveryLog.Of("rewound").Count);
    }

    [Fact]
    public async Task Offsets_are_committed_for_delivered_records()
    {
        await _grid.ProduceRawAsync("committed", "1", "2");
        await KafkaGrid.WaitForAllAsync(["committed"], 2, TimeSpan.FromSeconds(30));

        // The committed offset of the key's partition reaches its end: lag 0 everywhere.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<PartitionStatistics> partitions;
        do
        {
            await Task.Delay(300);
            partitions = [.. _grid.Cluster.Silos.Select(KafkaGrid.StatisticsOf).SelectMany(s => s.Partitions).Where(p => p.Owned)];
        }
        while ((partitions.Sum(p => p.Lag) > 0 || !partitions.Any(p => p.CommittedOffset > 0)) && DateTime.UtcNow < deadline);
        Assert.Equal(0, partitions.Sum(p => p.Lag));
        Assert.Contains(_grid.Cluster.Silos.Select(KafkaGrid.StatisticsOf).SelectMany(s => s.Partitions), p => p.CommittedOffset > 0);
    }
}
