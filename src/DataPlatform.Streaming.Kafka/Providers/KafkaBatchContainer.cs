using Orleans;
using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// The records of one poll that share a stream, in offset order. The sequence token is the receiver's
/// insertion order (monotonic per queue); each event's token is a <see cref="KafkaSourcePosition"/> naming
/// the record it came from and the reading generation of its receiver, so a batch read before a rewind can be
/// told from one read after it. (The generation travels in the tokens, not in the request context, which
/// would cost a dictionary and its copy on every delivery.)
/// </summary>
[GenerateSerializer, Alias("dp.kafka.KafkaBatchContainer")]
public sealed class KafkaBatchContainer : IBatchContainer
{
    /// <summary>Creates a container.</summary>
    public KafkaBatchContainer(StreamId streamId, KafkaPartition source, List<object> events, List<long> offsets, long sequenceNumber, long generation)
    {
        StreamId = streamId;
        Source = source;
        Events = events;
        Offsets = offsets;
        SequenceNumber = sequenceNumber;
        Generation = generation;
    }

    /// <inheritdoc />
    [Id(0)] public StreamId StreamId { get; }

    /// <summary>The topic-partition the records were read from.</summary>
    [Id(1)] public KafkaPartition Source { get; }

    /// <summary>The decoded events, in offset order.</summary>
    [Id(2)] public List<object> Events { get; }

    /// <summary>The Kafka offset of each event.</summary>
    [Id(3)] public List<long> Offsets { get; }

    /// <summary>The receiver's insertion order of this batch.</summary>
    [Id(4)] public long SequenceNumber { get; }

    /// <summary>The reading generation of the receiver when it read these records.</summary>
    [Id(5)] public long Generation { get; }

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => TokenOf(0);

    /// <summary>The lowest offset in this batch.</summary>
    public long FirstOffset => Offsets[0];

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        for (var i = 0; i < Events.Count; i++)
        {
            if (Events[i] is T item)
            {
                yield return Tuple.Create<T, StreamSequenceToken>(item, TokenOf(i));
            }
        }
    }

    /// <inheritdoc />
    public bool ImportRequestContext() => false;

    private KafkaSourcePosition TokenOf(int index) => new(SequenceNumber, index, Source.Topic, Source.Partition, Offsets[index], Generation);

    /// <inheritdoc />
    public override string ToString() => $"[KafkaBatchContainer:Stream={StreamId},Source={Source},#Items={Events.Count},FirstOffset={FirstOffset}]";
}
