using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka;

/// <summary>
/// The sequence token of an event read from Kafka: the receiver's insertion order (how Orleans' cache
/// orders batches) plus the record's topic, partition and offset, so a consumer can tell exactly which
/// record an event came from (for de-duplication by source position, and for idempotent sinks), and the
/// receiver's reading generation then, so a consumer can tell a record read before a rewind from one read after it.
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.kafka.KafkaSourcePosition")]
public sealed class KafkaSourcePosition : StreamSequenceToken
{
    /// <summary>Creates a token.</summary>
    public KafkaSourcePosition(long sequenceNumber, int eventIndex, string topic, int partition, long offset, long readingGeneration = 0)
    {
        SequenceNumber = sequenceNumber;
        EventIndex = eventIndex;
        Topic = topic;
        Partition = partition;
        Offset = offset;
        ReadingGeneration = readingGeneration;
    }

    /// <inheritdoc />
    [Id(0)] public override long SequenceNumber { get; protected set; }

    /// <inheritdoc />
    [Id(1)] public override int EventIndex { get; protected set; }

    /// <summary>The Kafka topic the record was read from.</summary>
    [Id(2)] public string Topic { get; }

    /// <summary>The record's partition.</summary>
    [Id(3)] public int Partition { get; }

    /// <summary>The record's offset in its partition.</summary>
    [Id(4)] public long Offset { get; }

    /// <summary>The reading generation of the receiver when it read the record.</summary>
    [Id(5)] public long ReadingGeneration { get; }

    /// <summary>The record's topic-partition.</summary>
    public KafkaPartition Source => new(Topic, Partition);

    /// <inheritdoc />
    public override bool Equals(StreamSequenceToken? other) =>
        other is not null && other.SequenceNumber == SequenceNumber && other.EventIndex == EventIndex;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StreamSequenceToken token && Equals(token);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(SequenceNumber, EventIndex);

    /// <inheritdoc />
    public override int CompareTo(StreamSequenceToken? other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var bySequence = SequenceNumber.CompareTo(other.SequenceNumber);
        return bySequence != 0 ? bySequence : EventIndex.CompareTo(other.EventIndex);
    }

    /// <inheritdoc />
    public override string ToString() => $"[{Topic}-{Partition}@{Offset} #{SequenceNumber}.{EventIndex}]";
}
