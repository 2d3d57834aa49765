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
/// after delivery. The partition's statistics report lag from where the receiver really is: the group's
/// committed offset (or the reset policy's start) when it starts, then the offset it would commit now.
/// </summary>
internal sealed partial class KafkaAdapterReceiver : IQueueAdapterReceiver, IControlledPartition
{
    private readonly string _provider;
    private readonly KafkaStreamOptions _options;
    private readonly KafkaTopicOptions _topic;
    private readonly TopicPartition _topicPartition;
    private readonly KafkaPartition _source;
    private readonly KafkaReceiverServices _services;
    private readonly PartitionStatistics _statistics;
    private readonly PartitionCommitTracker _tracker = new();
    private readonly ILogger _logger;
    private readonly Lock _rewindGate = new();
    private readonly Lock _positionGate = new();
    private Task _learningStart = Task.CompletedTask;
    private bool _positionFollowsReading;
    private KafkaRewindRequest? _pendingRewind;
    private IConsumer<byte[]?, byte[]>? _consumer;
    private long _batchSequence;
    private long _readingGeneration;
    private long _pendingRewindGeneration;
    private long _lastStored = -1;

    // Records and dead letters are counted once per offset: a rewind reads some of them again.
    private long _highestCounted = -1;

    // The next offset the group expects to read (-1 while unknown): a record beyond it means offsets were
    // skipped, and when the low watermark passed them, Kafka dropped them before they were read.
    private long _expectedNext = -1;

    public KafkaAdapterReceiver(string provider, KafkaStreamOptions options, QueueId queueId, KafkaReceiverServices services)
    {
        _provider = provider;
        _options = options;
        var (topic, partition) = KafkaQueueMapper.TopicPartitionOf(queueId);
        _topic = options.TopicNamed(topic) ?? throw new ArgumentException($"Queue {queueId} is not a configured topic.", nameof(queueId));
        _topicPartition = new TopicPartition(topic, partition);
        _source = new KafkaPartition(topic, partition);
        _services = services;
        _statistics = services.Statistics.Partition(provider, topic, partition);
        _logger = services.LoggerFactory.CreateLogger<KafkaAdapterReceiver>();
    }

    public TopicPartition TopicPartition => _topicPartition;

    /// <summary>True between initialization and shutdown: the receiver's silo owns the partition.</summary>
    public bool IsActive => _consumer is not null;

    public async Task Initialize(TimeSpan timeout)
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
        var consumer = new ConsumerBuilder<byte[]?, byte[]>(config)
            .SetErrorHandler((_, error) => LogKafkaError(_logger, _topicPartition.ToString(), error.Code.ToString(), error.Reason))
            .SetLogHandler((_, _) => { })
            .SetOffsetsCommittedHandler((_, committed) => OnCommitted(committed))
            .Build();
        // A checkpointing application decides where reading starts; otherwise the group's committed offset does.
        var checkpointStart = _services.Checkpointer is { } checkpointer
            ? await checkpointer.StartOffsetAsync(_source, CancellationToken.None)
            : null;
        consumer.Assign(new TopicPartitionOffset(_topicPartition, checkpointStart is { } start ? new Offset(start) : Offset.Stored));
        if (checkpointStart is { } known)
        {
            _tracker.RestartAt(known);
        }
        _readingGeneration = _services.Control.Generation;
        lock (_positionGate)
        {
            _positionFollowsReading = false;
            _statistics.Position = -1;
            _statistics.CommittedOffset = -1;
        }
        _consumer = consumer;
        _statistics.Owned = true;
        LogAssigned(_logger, _provider, _topicPartition.ToString());

        // Asking Kafka where the group stands blocks; it runs off the agent's thread. Kafka usually answers
        // at once; when it does not, the agent starts anyway and the statistics follow once it answers.
        _learningStart = Task.Run(() => LearnStartPosition(consumer, checkpointStart));
        try
        {
            await _learningStart.WaitAsync(TimeSpan.FromTicks(Math.Max(0, timeout.Ticks / 2)));
        }
        catch (TimeoutException)
        {
            LogStartPositionPending(_logger, _topicPartition.ToString());
        }
        _services.Control.Register(_source, this);
        _services.Checkpointer?.PartitionAcquired(_source);
    }

    /// <summary>
    /// Reads the group's committed offset and the partition's watermarks, and from them the offset
    /// reading starts at, so that lag is right before the first record arrives.
    /// </summary>
    private void LearnStartPosition(IConsumer<byte[]?, byte[]> consumer, long? checkpointStart)
    {
        try
        {
            var committed = checkpointStart ?? consumer.Committed([_topicPartition], _options.MetadataTimeout)
                .FirstOrDefault(offset => offset.TopicPartition == _topicPartition)?.Offset.Value ?? -1;
            var watermarks = consumer.QueryWatermarkOffsets(_topicPartition, _options.MetadataTimeout);
            var start = PartitionStart.Of(committed, watermarks.Low.Value, watermarks.High.Value, _options.StartWhenNoCommittedOffset);
            var expected = committed >= 0 ? committed : _options.StartWhenNoCommittedOffset == AutoOffsetReset.Earliest ? 0 : -1;
            if (Interlocked.CompareExchange(ref _expectedNext, Math.Max(expected, start), -1) == -1 && expected >= 0 && watermarks.Low.Value > expected)
            {
                CountLost(expected, watermarks.Low.Value);
            }
            lock (_positionGate)
            {
                if (committed >= 0 && _statistics.CommittedOffset < 0)
                {
                    _statistics.CommittedOffset = committed;
                }
                if (!_positionFollowsReading)
                {
                    _statistics.HighWatermark = watermarks.High.Value;
                    _statistics.Position = start;
                }
            }
        }
        catch (KafkaException ex)
        {
            // Lag stays unknown (reported as 0) until the first poll tells where the receiver is.
            LogStartPositionUnknown(_logger, ex, _topicPartition.ToString());
        }
    }

    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount)
    {
        var consumer = _consumer;
        if (consumer is null)
        {
            return [];
        }
        // Counted before the pause is checked: a checkpoint's drain waits for this poll to hand its batches over.
        using var poll = _services.Control.BeginPoll();
        ApplyPendingRewind(consumer);
        if (_services.Control.IsPaused)
        {
            return [];
        }

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
            CheckForSkippedOffsets(consumer, offset);
            var record = ToRecord(result);
            var firstRead = offset > _highestCounted;
            _highestCounted = Math.Max(_highestCounted, offset);
            if (firstRead)
            {
                _services.Statistics.RecordRead(_statistics, record.Value.Length);
            }
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
                await DeadLetterAsync(record, decoded.Reason!, firstRead);
            }
            _tracker.Read(offset);
        }

        var containers = new List<IBatchContainer>(order.Count);
        foreach (var streamId in order)
        {
            var (events, offsets) = streams[streamId];
            var sequence = ++_batchSequence;
            containers.Add(new KafkaBatchContainer(streamId, _source, events, offsets, sequence, _readingGeneration));
            _tracker.Pending(sequence, offsets[0]);
        }
        UpdateHighWatermark(consumer);
        StoreCommittableOffset();
        UpdatePosition(consumer);
        return containers;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages)
    {
        _tracker.Released(messages.OfType<KafkaBatchContainer>().Select(batch => batch.SequenceNumber));
        StoreCommittableOffset();
        if (_consumer is { } consumer)
        {
            UpdatePosition(consumer);
        }
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
        _services.Control.Unregister(_source, this);
        _consumer = null;
        _statistics.Owned = false;
        // The consumer may only go once nothing else uses it; the lookup ends within its own timeouts.
        await _learningStart;
        // Close commits the stored offset one last time.
        await Task.Run(() =>
        {
            consumer.Close();
            consumer.Dispose();
        });
        LogReleased(_logger, _provider, _topicPartition.ToString(), _lastStored);
    }

    /// <summary>Asks the receiver to restart reading at an offset or time; applied on its next poll.</summary>
    public void RequestRewind(KafkaRewindRequest request) => RequestRewind(request, _services.Control.Generation);

    private void RequestRewind(KafkaRewindRequest request, long generation)
    {
        lock (_rewindGate)
        {
            _pendingRewind = request;
            _pendingRewindGeneration = generation;
        }
    }

    public int PendingBatches => _tracker.PendingBatches;

    public long? NextOffset => _tracker.PendingBatches == 0 ? _tracker.CommittableOffset : null;

    async Task IControlledPartition.RewindAsync(long? offset, CancellationToken cancellationToken)
    {
        var target = offset ?? (_services.Checkpointer is { } checkpointer ? await checkpointer.StartOffsetAsync(_source, cancellationToken) : null);
        if (target is null)
        {
            // Nothing was checkpointed for this partition: reading starts again where the group starts.
            var committed = await Task.Run(() => _consumer?.Committed([_topicPartition], _options.MetadataTimeout)
                .FirstOrDefault(found => found.TopicPartition == _topicPartition)?.Offset.Value, cancellationToken);
            target = committed is >= 0 ? committed : _options.StartWhenNoCommittedOffset == AutoOffsetReset.Earliest ? 0 : null;
        }
        if (target is { } rewindTo)
        {
            RequestRewind(new KafkaRewindRequest { Topic = _source.Topic, Partition = _source.Partition, Offset = rewindTo }, _services.Control.Generation);
        }
    }

    void IControlledPartition.StoreOffset(long offset)
    {
        if (_consumer is { } consumer)
        {
            StoreOffset(consumer, offset);
        }
    }

    private void ApplyPendingRewind(IConsumer<byte[]?, byte[]> consumer)
    {
        KafkaRewindRequest? request;
        lock (_rewindGate)
        {
            request = _pendingRewind;
            _pendingRewind = null;
            if (request is not null)
            {
                _readingGeneration = _pendingRewindGeneration;
            }
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
        // A rewind reads again what was read before: where it lands decides nothing about loss.
        Interlocked.Exchange(ref _expectedNext, -1);
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
            LogObserverFailed(_logger, ex, _topicPartition.ToString(), record.Offset);
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
            LogDecoderFailed(_logger, ex, _topicPartition.ToString(), record.Offset);
            return KafkaDecodeResult.Reject("decoder_error");
        }
    }

    private async Task DeadLetterAsync(KafkaRecord record, string reason, bool firstRead)
    {
        if (firstRead)
        {
            _services.Statistics.RecordDeadLetter(_statistics, reason);
        }
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
            LogDeadLetterHandlerFailed(_logger, ex, _topicPartition.ToString(), record.Offset);
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

    /// <summary>
    /// The position is the offset the receiver would commit now (the first record not yet delivered); before
    /// anything is read in this ownership or since a rewind, the consumer's own position when it has one.
    /// </summary>
    /// <summary>
    /// Counts as lost the offsets between the one expected and the one read when Kafka no longer holds them
    /// (its low watermark passed them). Other gaps (a transaction's control records, compaction) are not loss.
    /// </summary>
    private void CheckForSkippedOffsets(IConsumer<byte[]?, byte[]> consumer, long offset)
    {
        var expected = Interlocked.Exchange(ref _expectedNext, offset + 1);
        if (expected < 0 || offset <= expected)
        {
            return;
        }
        try
        {
            var low = consumer.QueryWatermarkOffsets(_topicPartition, _options.MetadataTimeout).Low.Value;
            if (low > expected)
            {
                CountLost(expected, Math.Min(low, offset));
            }
        }
        catch (KafkaException ex)
        {
            LogLossUnknown(_logger, ex, _topicPartition.ToString(), expected, offset);
        }
    }

    private void CountLost(long from, long to)
    {
        _services.Statistics.RecordLost(_statistics, to - from);
        LogRecordsLost(_logger, to - from, _topicPartition.ToString(), from, to - 1);
    }

    private void UpdatePosition(IConsumer<byte[]?, byte[]> consumer)
    {
        var position = _tracker.CommittableOffset ?? consumer.Position(_topicPartition).Value;
        if (position < 0)
        {
            return;
        }
        lock (_positionGate)
        {
            _positionFollowsReading = true;
            _statistics.Position = position;
        }
    }

    /// <summary>Stores the committable offset; librdkafka commits it without blocking this thread.</summary>
    private void StoreCommittableOffset()
    {
        var consumer = _consumer;
        // With a checkpointer, offsets are committed only when a checkpoint says so.
        if (consumer is null || _services.Checkpointer is not null || _tracker.CommittableOffset is not { } offset || offset == _lastStored)
        {
            return;
        }
        StoreOffset(consumer, offset);
    }

    private void StoreOffset(IConsumer<byte[]?, byte[]> consumer, long offset)
    {
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
                lock (_positionGate)
                {
                    _statistics.CommittedOffset = offset.Offset.Value;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} record(s) of {TopicPartition} (offsets {First} to {Last}) were dropped by Kafka's retention before they were read: they are lost")]
    private static partial void LogRecordsLost(ILogger logger, long count, string topicPartition, long first, long last);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{TopicPartition} skipped from offset {Expected} to {Offset}, and Kafka could not say whether they were dropped")]
    private static partial void LogLossUnknown(ILogger logger, Exception exception, string topicPartition, long expected, long offset);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The record observer threw on {TopicPartition} offset {Offset}")]
    private static partial void LogObserverFailed(ILogger logger, Exception exception, string topicPartition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The decoder threw on {TopicPartition} offset {Offset}; the record is a dead letter")]
    private static partial void LogDecoderFailed(ILogger logger, Exception exception, string topicPartition, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dead-letter handler failed on {TopicPartition} offset {Offset}")]
    private static partial void LogDeadLetterHandlerFailed(ILogger logger, Exception exception, string topicPartition, long offset);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kafka has not yet said where {TopicPartition} starts; its lag is reported once it does")]
    private static partial void LogStartPositionPending(ILogger logger, string topicPartition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the committed offset and watermarks of {TopicPartition}; its lag is reported after the first poll")]
    private static partial void LogStartPositionUnknown(ILogger logger, Exception exception, string topicPartition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing offset {Offset} of {TopicPartition} failed, will retry: {Reason}")]
    private static partial void LogStoreFailed(ILogger logger, string topicPartition, long offset, string reason);
}
