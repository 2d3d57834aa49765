using Orleans;
using Orleans.Providers.Streams.Common;
using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// The records of one poll that share a stream, in offset order. The sequence token is the receiver's
/// insertion order (monotonic per queue); the Kafka offsets travel along for offset bookkeeping.
/// </summary>
[GenerateSerializer, Alias("dp.kafka.KafkaBatchContainer")]
public sealed class KafkaBatchContainer : IBatchContainer
{
    /// <summary>Creates a container.</summary>
    public KafkaBatchContainer(StreamId streamId, List<object> events, List<long> offsets, EventSequenceTokenV2 sequenceToken)
    {
        StreamId = streamId;
        Events = events;
        Offsets = offsets;
        Token = sequenceToken;
    }

    /// <inheritdoc />
    [Id(0)] public StreamId StreamId { get; }

    /// <summary>The decoded events, in offset order.</summary>
    [Id(1)] public List<object> Events { get; }

    /// <summary>The Kafka offset of each event.</summary>
    [Id(2)] public List<long> Offsets { get; }

    [Id(3)] internal EventSequenceTokenV2 Token { get; }

    /// <inheritdoc />
    public StreamSequenceToken SequenceToken => Token;

    /// <summary>The lowest offset in this batch.</summary>
    public long FirstOffset => Offsets[0];

    /// <inheritdoc />
    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        for (var i = 0; i < Events.Count; i++)
        {
            if (Events[i] is T item)
            {
                yield return Tuple.Create<T, StreamSequenceToken>(item, Token.CreateSequenceTokenForEvent(i));
            }
        }
    }

    /// <inheritdoc />
    public bool ImportRequestContext() => false;

    /// <inheritdoc />
    public override string ToString() => $"[KafkaBatchContainer:Stream={StreamId},#Items={Events.Count},FirstOffset={FirstOffset}]";
}
