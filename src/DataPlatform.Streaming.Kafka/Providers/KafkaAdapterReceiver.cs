using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// Reads one topic-partition for the pulling agent that owns its queue. The consumer is assigned the
/// partition directly (no Kafka group rebalancing: Orleans' queue balancer decides ownership) and starts
/// at the group's committed offset. Records are decoded at the edge; rejects go to the dead letters and
/// never stop the partition. Offsets are committed only for records whose batches the cache released
/// after delivery.
/// </summary>
internal sealed partial class KafkaAdapterReceiver : IQueueAdapterReceiver
{
    private readonly string _provider;
    private readonly KafkaStreamOptions _options;
    private readonly KafkaTopicOptions _topic;
    private readonly TopicPartition _topicPartition;
    private readonly KafkaReceiverServices _services;
    private readonly PartitionStatistics _statistics;
    private readonly PartitionCommitTracker _tracker = new();
    private readonly ILogger _logger;
    private readonly Lock _rewindGate = new();
    private KafkaRewindRequest? _pendingRewind;
    private IConsumer<byte[]?, byte[]>? _consumer;
    private long _batchSequence;
    private long _lastStored = -1;

    public KafkaAdapterReceiver(string provider, KafkaStreamOptions options, QueueId queueId, KafkaReceiverServices services)
    {
        _provider = provider;
        _options = options;
        var (topic, partition) = KafkaQueueMapper.TopicPartitionOf(queueId);
        _topic = options.TopicNamed(topic) ?? throw new ArgumentException($"Queue {queueId} is not a configured topic.", nameof(queueId));
        _topicPartition = new TopicPartition(topic, partition);
        _services = services;
        _statistics = services.Statistics.Partition(provider, topic, partition);
        _logger = services.LoggerFactory.CreateLogger<KafkaAdapterReceiver>();
    }

    public TopicPartition TopicPartition => _topicPartition;

    /// <summary>True between initialization and shutdown: the receiver's silo owns the partition.</summary>
    public bool IsActive => _consumer is not null;

    public Task Initialize(TimeSpan timeout)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = _options.BootstrapServers,
            GroupId = _options.ConsumerGroup,
            ClientId = $"{_provider}-{_topicPartition.Topic}-{_topicPartition.Partition.Value}",
            // Offsets are stored by the receiver only once delivered; librdkafka commits what is stored
            // in the background every commit interval, and once more when the consumer closes.
            EnableAutoCommit = true,
            AutoCommitIntervalMs = (int)_options.CommitInterval.TotalMilliseconds,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = _options.StartWhenNoCommittedOffset,
            EnablePartitionEof = false,
            FetchWaitMaxMs = 100,
            QueuedMaxMessagesKbytes = 4096,
        };
        foreach (var (key, value) in _options.ClientSettings)
        {
            config.Set(key, value);
        }
        _consumer = new ConsumerBuilder<byte[]?, byte[]>(config)
            .SetErrorHandler((_, error) => LogKafkaError(_logger, _topicPartition.ToString(), error.Code.ToString(), error.Reason))
            .SetLogHandler((_, _) => { })
            .SetOffsetsCommittedHandler((_, committed) => OnCommitted(committed))
            .Build();
        _consumer.Assign(new TopicPartitionOffset(_topicPartition, Offset.Stored));
        _statistics.Owned = true;
        LogAssigned(_logger, _provider, _topicPartition.ToString());
        return Task.CompletedTask;
    }

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        var consumer = _consumer;
        if (consumer is null)
        {
            return [];
        }
        ApplyPendingRewind(consumer);

        var limit = Math.Max(1, Math.Min(maxCount < 0 ? _options.PollBatchSize : maxCount, _options.PollBatchSize));
        var streams = new Dictionary<StreamId, (List<object> Events, List<long> Offsets)>();
        var order = new List<StreamId>();
        for (var read = 0; read < limit; read++)
        {
            ConsumeResult<byte[]?, byte[]>? result;
            try
            {
                result = consumer.Consume(TimeSpan.Zero);
            }
            catch (ConsumeException ex)
            {
                LogConsumeFailed(_logger, _topicPartition.ToString(), ex.Error.Reason);
                break;
            }
            if (result?.Message is null)
            {
                break;
            }

            var offset = result.Offset.Value;
            var record = ToRecord(result);
            _services.Statistics.RecordRead(_statistics, record.Value.Length);
            Observe(record);
            var decoded = Decode(record);
            if (decoded.IsAccepted)
            {
                var streamId = _services.StreamIdMapper.Map(record, decoded.Payload!);
                if (!streams.TryGetValue(streamId, out var batch))
                {
                    batch = ([], []);
                    streams[streamId] = batch;
                    order.Add(streamId);
                }
                batch.Events.Add(decoded.Payload!);
                batch.Offsets.Add(offset);
            }
            else
            {
                await DeadLetterAsync(record, decoded.Reason!);
            }
            _tracker.Read(offset);
        }

        var containers = new List<IBatchContainer>(order.Count);
        foreach (var streamId in order)
        {
            var (events, offsets) = streams[streamId];
            var sequence = ++_batchSequence;
            containers.Add(new KafkaBatchContainer(streamId, events, offsets, new EventSequenceTokenV2(sequence)));
            _tracker.Pending(sequence, offsets[0]);
        }
        UpdateHighWatermark(consumer);
        StoreCommittableOffset();
        return containers;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
    {
        var released = messages.OfType<KafkaBatchContainer>().Select(batch => batch.Token.SequenceNumber).DefaultIfEmpty(-1).Max();
        if (released >= 0)
        {
            _tracker.ReleasedThrough(released);
        }
        StoreCommittableOffset();
        return Task.CompletedTask;
    }

    public async Task Shutdown(TimeSpan timeout)
    {
        var consumer = _consumer;
        if (consumer is null)
        {
            return;
        }
        StoreCommittableOffset();
        _consumer = null;
        _statistics.Owned = false;
        // Close commits the stored offset one last time.
        await Task.Run(() =>
        {
            consumer.Close();
            consumer.Dispose();
        });
        LogReleased(_logger, _provider, _topicPartition.ToString(), _lastStored);
    }

    /// <summary>Asks the receiver to restart reading at an offset or time; applied on its next poll.</summary>
    public void RequestRewind(KafkaRewindRequest request)
    {
        lock (_rewindGate)
        {
            _pendingRewind = request;
        }
    }

    private void ApplyPendingRewind(IConsumer<byte[]?, byte[]> consumer)
    {
        KafkaRewindRequest? request;
        lock (_rewindGate)
        {
            request = _pendingRewind;
            _pendingRewind = null;
        }
        if (request is null)
        {
            return;
        }
        var offset = request.Offset;
        if (request.FromTime is { } from)
        {
            var found = consumer.OffsetsForTimes(
                [new TopicPartitionTimestamp(_topicPartition, new Timestamp(from.UtcDateTime))], _options.MetadataTimeout);
            offset = found.Count == 1 && found[0].Offset.Value >= 0
                ? found[0].Offset.Value
                : consumer.QueryWatermarkOffsets(_topicPartition, _options.MetadataTimeout).High.Value;
        }
        consumer.Assign(new TopicPartitionOffset(_topicPartition, new Offset(offset)));
        _tracker.RestartAt(offset);
        _lastStored = -1;
        LogRewound(_logger, _topicPartition.ToString(), offset);
    }

    private void Observe(KafkaRecord record)
    {
        try
        {
            _services.RecordObserver?.OnRecord(record);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogObserverFailed(_logger, _topicPartition.ToString(), record.Offset, ex.Message);
        }
    }

    private KafkaDecodeResult Decode(KafkaRecord record)
    {
        try
        {
            return _services.Decoder.Decode(record);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDecoderFailed(_logger, _topicPartition.ToString(), record.Offset, ex.Message);
            return KafkaDecodeResult.Reject("decoder_error");
        }
    }

    private async Task DeadLetterAsync(KafkaRecord record, string reason)
    {
        _services.Statistics.RecordDeadLetter(_statistics, reason);
        if (_services.DeadLetterHandler is not { } handler)
        {
            return;
        }
        try
        {
            await handler.HandleAsync(record, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogDeadLetterHandlerFailed(_logger, _topicPartition.ToString(), record.Offset, ex.Message);
        }
    }

    private KafkaRecord ToRecord(ConsumeResult<byte[]?, byte[]> result)
    {
        var headers = result.Message.Headers is { Count: > 0 } present
            ? present.Select(header => new KeyValuePair<string, byte[]>(header.Key, header.GetValueBytes())).ToList()
            : (IReadOnlyList<KeyValuePair<string, byte[]>>)[];
        return new KafkaRecord(
            _topicPartition.Topic,
            _topic.EffectiveNamespace,
            _topicPartition.Partition.Value,
            result.Offset.Value,
            result.Message.Key is { } key ? key : (ReadOnlyMemory<byte>?)null,
            result.Message.Value ?? [],
            headers,
            new DateTimeOffset(result.Message.Timestamp.UtcDateTime, TimeSpan.Zero));
    }

    private void UpdateHighWatermark(IConsumer<byte[]?, byte[]> consumer)
    {
        var watermarks = consumer.GetWatermarkOffsets(_topicPartition);
        if (watermarks.High.Value >= 0)
        {
            _statistics.HighWatermark = watermarks.High.Value;
        }
    }

    /// <summary>Stores the committable offset; librdkafka commits it without blocking this thread.</summary>
    private void StoreCommittableOffset()
    {
        var consumer = _consumer;
        if (consumer is null || _tracker.CommittableOffset is not { } offset || offset == _lastStored)
        {
            return;
        }
        try
        {
            consumer.StoreOffset(new TopicPartitionOffset(_topicPartition, new Offset(offset)));
            _lastStored = offset;
        }
        catch (KafkaException ex)
        {
            // Not stored now means replayed later (and de-duplicated); never lost.
            LogStoreFailed(_logger, _topicPartition.ToString(), offset, ex.Error.Reason);
        }
    }

    private void OnCommitted(CommittedOffsets committed)
    {
        foreach (var offset in committed.Offsets)
        {
            if (offset.TopicPartition == _topicPartition && !offset.Error.IsError && offset.Offset.Value >= 0)
            {
                _statistics.CommittedOffset = offset.Offset.Value;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka provider {Provider} now reads {TopicPartition}")]
    private static partial void LogAssigned(ILogger logger, string provider, string topicPartition);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka provider {Provider} released {TopicPartition} (committed offset {Offset})")]
    private static partial void LogReleased(ILogger logger, string provider, string topicPartition, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rewound {TopicPartition} to offset {Offset}")]
    private static partial void LogRewound(ILogger logger, string topicPartition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka error on {TopicPartition}: {Code} {Reason}")]
    private static partial void LogKafkaError(ILogger logger, string topicPartition, string code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consuming {TopicPartition} failed, retrying on the next poll: {Reason}")]
    private static partial void LogConsumeFailed(ILogger logger, string topicPartition, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The record observer threw on {TopicPartition} offset {Offset}: {Reason}")]
    private static partial void LogObserverFailed(ILogger logger, string topicPartition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The decoder threw on {TopicPartition} offset {Offset}; the record is a dead letter: {Reason}")]
    private static partial void LogDecoderFailed(ILogger logger, string topicPartition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dead-letter handler failed on {TopicPartition} offset {Offset}: {Reason}")]
    private static partial void LogDeadLetterHandlerFailed(ILogger logger, string topicPartition, long offset, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing offset {Offset} of {TopicPartition} failed, will retry: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string topicPartition, long offset, string reason);
}
