namespace DataPlatform.Grains.Ingestion;

/// <summary>A record rejected at the edge, with its stable reason code, its raw payload and, from Kafka, its position.</summary>
public sealed record DeadLetter(
    string Topic,
    string? Key,
    string Reason,
    ReadOnlyMemory<byte> Payload,
    DateTimeOffset RejectedAt,
    int? Partition = null,
    long? Offset = null,
    DateTimeOffset? KafkaTimestamp = null);
