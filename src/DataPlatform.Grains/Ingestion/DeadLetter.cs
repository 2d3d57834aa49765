namespace DataPlatform.Grains.Ingestion;

/// <summary>
/// A record rejected at the edge, with its stable reason code, its key and payload bytes exactly as received
/// (a record without a key has a null key, never an empty one) and, from Kafka, its position.
/// </summary>
public sealed record DeadLetter(
    string Topic,
    ReadOnlyMemory<byte>? Key,
    string Reason,
    ReadOnlyMemory<byte> Payload,
    DateTimeOffset RejectedAt,
    int? Partition = null,
    long? Offset = null,
    DateTimeOffset? KafkaTimestamp = null,
    bool FromGrain = false);
