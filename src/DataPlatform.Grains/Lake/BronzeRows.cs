using DataPlatform.Grains.Ingestion;

namespace DataPlatform.Grains.Lake;

/// <summary>Rows of the bronze tables: each record's key and value bytes as received, with where and when it was loaded.</summary>
public static class BronzeRows
{
    public const string FromKafka = "kafka";
    public const string InProcess = "in_process";
    public const string DeadLetters = "bronze.dead_letter";

    /// <summary>A row of <c>bronze.&lt;topic&gt;</c>: the key and value bytes exactly as received (a missing key stays null).</summary>
    public static object?[] Record(ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value, int? partition, long? offset, DateTimeOffset? kafkaTimestamp, DateTimeOffset loadedAt, string sourceSystem) =>
    [
        hasKey ? key.ToArray() : null,
        value.ToArray(),
        partition,
        offset,
        kafkaTimestamp?.UtcDateTime,
        loadedAt.UtcDateTime,
        sourceSystem,
        DateOnly.FromDateTime(loadedAt.UtcDateTime),
    ];

    /// <summary>A row of <c>bronze.dead_letter</c>.</summary>
    public static object?[] DeadLetter(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return
        [
            deadLetter.Topic,
            deadLetter.Reason,
            deadLetter.Key?.ToArray(),
            deadLetter.Payload.ToArray(),
            deadLetter.Partition,
            deadLetter.Offset,
            deadLetter.KafkaTimestamp?.UtcDateTime,
            deadLetter.RejectedAt.UtcDateTime,
            deadLetter.Partition is null ? InProcess : FromKafka,
            DateOnly.FromDateTime(deadLetter.RejectedAt.UtcDateTime),
        ];
    }
}
