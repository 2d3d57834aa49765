using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Providers.Streams.Common;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// Builds the Kafka adapter, its queue mapper (from the cluster's metadata: one queue per partition of
/// every configured topic) and the queue cache, which counts a batch delivered only once its consumer got it.
/// </summary>
public sealed class KafkaAdapterFactory : IQueueAdapterFactory
{
    private readonly string _name;
    private readonly KafkaStreamOptions _options;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IQueueAdapterCache _cache;
    private readonly Lazy<KafkaQueueMapper> _mapper;

    /// <summary>Creates the factory of one provider.</summary>
    public KafkaAdapterFactory(string name, KafkaStreamOptions options, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        _name = name;
        _options = options;
        _services = services;
        _loggerFactory = loggerFactory;
        _cache = new DeliveryTrackingQueueAdapterCache(options.ReadAheadRecords);
        _mapper = new Lazy<KafkaQueueMapper>(() => new KafkaQueueMapper(ReadTopicPartitions()));
    }

    /// <summary>The factory Orleans calls for the provider named <paramref name="name"/>.</summary>
    public static KafkaAdapterFactory Create(IServiceProvider services, string name)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name);
        return new KafkaAdapterFactory(name, options, services, services.GetRequiredService<ILoggerFactory>());
    }

    /// <inheritdoc />
    public Task<IQueueAdapter> CreateAdapter()
    {
        var receiverServices = new KafkaReceiverServices(
            Resolve<IKafkaRecordDecoder>() ?? new RawBytesRecordDecoder(),
            Resolve<IKafkaStreamIdMapper>() ?? new RecordKeyStreamIdMapper(),
            Resolve<IKafkaDeadLetterHandler>(),
            Resolve<IKafkaRecordObserver>(),
            _services.GetService<KafkaStreamStatistics>() ?? new KafkaStreamStatistics(),
            _services.GetService<KafkaConsumptionControl>() ?? new KafkaConsumptionControl(),
            Resolve<IKafkaCheckpointer>(),
            _loggerFactory);
        var encoder = Resolve<IKafkaRecordEncoder>() ?? new JsonRecordEncoder();
        return Task.FromResult<IQueueAdapter>(new KafkaAdapter(_name, _options, _mapper.Value, encoder, receiverServices));
    }

    /// <inheritdoc />
    public IQueueAdapterCache GetQueueAdapterCache() => _cache;

    /// <inheritdoc />
    public IStreamQueueMapper GetStreamQueueMapper() => _mapper.Value;

    /// <inheritdoc />
    public Task<IStreamFailureHandler> GetDeliveryFailureHandler(QueueId queueId)
    {
        var (topic, partition) = KafkaQueueMapper.TopicPartitionOf(queueId);
        return Task.FromResult<IStreamFailureHandler>(new KafkaDeliveryFailureHandler(new KafkaPartition(topic, partition), Resolve<IKafkaCheckpointer>()));
    }

    // A service registered under the provider's name wins over one registered for every provider.
    private T? Resolve<T>() where T : class =>
        _services.GetKeyedService<T>(_name) ?? _services.GetService<T>();

    private List<(string StreamNamespace, string Topic, int Partitions)> ReadTopicPartitions()
    {
        var config = new AdminClientConfig { BootstrapServers = _options.BootstrapServers };
        foreach (var (key, value) in _options.ClientSettings)
        {
            config.Set(key, value);
        }
        using var admin = new AdminClientBuilder(config).Build();
        var deadline = DateTime.UtcNow + _options.MetadataTimeout;
        string problem;
        do
        {
            try
            {
                var metadata = admin.GetMetadata(TimeSpan.FromSeconds(5));
                var found = _options.Topics
                    .Select(topic => (topic, partitions: metadata.Topics.FirstOrDefault(t => t.Topic == topic.Name && t.Error.Code == Confluent.Kafka.ErrorCode.NoError)?.Partitions.Count ?? 0))
                    .ToList();
                var missing = found.Where(t => t.partitions == 0).Select(t => t.topic.Name).ToList();
                if (missing.Count == 0)
                {
                    return [.. found.Select(t => (t.topic.EffectiveNamespace, t.topic.Name, t.partitions))];
                }
                problem = $"topics not found: {string.Join(", ", missing)}";
            }
            catch (KafkaException ex)
            {
                problem = ex.Error.Reason;
            }
            Thread.Sleep(500);
        }
        while (DateTime.UtcNow < deadline);
        throw new InvalidOperationException(
            $"Kafka stream provider '{_name}' could not read the topics from {_options.BootstrapServers} within {_options.MetadataTimeout}: {problem}");
    }
}
