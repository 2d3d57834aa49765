namespace DataPlatform.Streaming.Kafka;

/// <summary>One Kafka record as the decoder and the stream mapper see it.</summary>
/// <param name="Topic">The Kafka topic.</param>
/// <param name="StreamNamespace">The stream namespace the topic is mapped to.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The record's offset in its partition.</param>
/// <param name="Key">The record key, or null.</param>
/// <param name="Value">The record value (empty for a tombstone).</param>
/// <param name="Headers">The record headers, in order.</param>
/// <param name="Timestamp">The record timestamp set by the producer or the broker.</param>
public sealed record KafkaRecord(
    string Topic,
    string StreamNamespace,
    int Partition,
    long Offset,
    ReadOnlyMemory<byte>? Key,
    ReadOnlyMemory<byte> Value,
    IReadOnlyList<KeyValuePair<string, byte[]>> Headers,
    DateTimeOffset Timestamp);
