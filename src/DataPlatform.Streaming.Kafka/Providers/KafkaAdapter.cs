using System.Collections.Concurrent;
using Confluent.Kafka;
using Orleans.Providers;
using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// The queue adapter: creates a receiver per owned topic-partition, and publishes Orleans stream events
/// to Kafka keyed by the stream key, on the partition the stream maps to (so a stream stays in order).
/// </summary>
internal sealed class KafkaAdapter(
    string name,
    KafkaStreamOptions options,
    KafkaQueueMapper mapper,
    IKafkaRecordEncoder encoder,
    KafkaReceiverServices receiverServices) : IQueueAdapter, IControllable, IDisposable
{
    private readonly ConcurrentDictionary<QueueId, KafkaAdapterReceiver> _receivers = new();
    private readonly Lazy<IProducer<byte[], byte[]>> _producer = new(() => CreateProducer(options));

    public string Name => name;

    public bool IsRewindable => false;

    public StreamProviderDirection Direction =>
        options.ProducerOnly ? StreamProviderDirection.WriteOnly : StreamProviderDirection.ReadWrite;

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId)
    {
        var receiver = new KafkaAdapterReceiver(name, options, queueId, receiverServices);
        _receivers[queueId] = receiver;
        return receiver;
    }

    public async Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        if (token is not null)
        {
            throw new ArgumentException("Kafka assigns the position of published events; a sequence token cannot be given.", nameof(token));
        }
        var streamNamespace = streamId.GetNamespace() ?? string.Empty;
        var topic = options.TopicOfNamespace(streamNamespace)
            ?? throw new ArgumentException($"Stream namespace '{streamNamespace}' is not mapped to a Kafka topic of provider '{name}'.", nameof(streamId));
        var destination = new TopicPartition(topic.Name, mapper.PartitionOf(streamId));
        var key = KafkaQueueMapper.KeyBytes(streamId);
        var producer = _producer.Value;
        var deliveries = events
            .Select(item => producer.ProduceAsync(destination, new Message<byte[], byte[]> { Key = key, Value = encoder.Encode(item!) }))
            .ToList();
        await Task.WhenAll(deliveries);
    }

    public Task<object?> ExecuteCommand(int command, object? arg)
    {
        if (command != KafkaStreamCommands.Rewind || arg is not KafkaRewindRequest request)
        {
            throw new ArgumentException($"Unknown Kafka stream command {command} (argument {arg?.GetType().Name ?? "null"}).", nameof(command));
        }
        var rewound = 0;
        foreach (var receiver in _receivers.Values)
        {
            var partition = receiver.TopicPartition;
            if (receiver.IsActive && partition.Topic == request.Topic && (request.Partition is null || request.Partition == partition.Partition.Value))
            {
                receiver.RequestRewind(request);
                rewound++;
            }
        }
        return Task.FromResult<object?>(rewound);
    }

    public void Dispose()
    {
        if (_producer.IsValueCreated)
        {
            _producer.Value.Flush(TimeSpan.FromSeconds(10));
            _producer.Value.Dispose();
        }
    }

    private static IProducer<byte[], byte[]> CreateProducer(KafkaStreamOptions options)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
        };
        foreach (var (key, value) in options.ClientSettings)
        {
            config.Set(key, value);
        }
        return new ProducerBuilder<byte[], byte[]>(config).Build();
    }
}
