using DataPlatform.Contracts.Events;
using DataPlatform.Grains.Ingestion;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Grains.Lake;

/// <summary>Rows of the bronze tables: each record's key and value bytes as received, with where and when it was loaded.</summary>
public static class BronzeRows
{
    public const string FromKafka = "kafka";
    public const string InProcess = "in_process";
    public const string DeadLetters = "bronze.dead_letter";

    // Every topic's bronze table has the same columns: bronze.app_events stands for them all.
    private static readonly RowMap<LoadedRecord> RecordRows = new(PlatformTables.Get(PlatformTables.BronzeTableOf(Topics.AppEvents)),
    [
        ("record_key", record => record.Key),
        ("record_value", record => record.Value),
        ("kafka_partition", record => record.Partition),
        ("kafka_offset", record => record.Offset),
        ("kafka_timestamp", record => record.KafkaTimestamp?.UtcDateTime),
        ("load_timestamp", record => record.LoadedAt.UtcDateTime),
        ("source_system", record => record.SourceSystem),
        ("event_date", record => DateOnly.FromDateTime(record.LoadedAt.UtcDateTime)),
    ]);

    private static readonly RowMap<DeadLetter> DeadLetterRows = new(PlatformTables.Get(DeadLetters),
    [
        ("topic", deadLetter => deadLetter.Topic),
        ("reason", deadLetter => deadLetter.Reason),
        ("record_key", deadLetter => deadLetter.Key?.ToArray()),
        ("record_value", deadLetter => deadLetter.Payload.ToArray()),
        ("kafka_partition", deadLetter => deadLetter.Partition),
        ("kafka_offset", deadLetter => deadLetter.Offset),
        ("kafka_timestamp", deadLetter => deadLetter.KafkaTimestamp?.UtcDateTime),
        ("load_timestamp", deadLetter => deadLetter.RejectedAt.UtcDateTime),
        ("source_system", deadLetter => deadLetter.Partition is null ? InProcess : FromKafka),
        ("event_date", deadLetter => DateOnly.FromDateTime(deadLetter.RejectedAt.UtcDateTime)),
    ]);

    /// <summary>A row of <c>bronze.&lt;topic&gt;</c>: the key and value bytes exactly as received (a missing key stays null).</summary>
    public static object?[] Record(ReadOnlySpan<byte> key, bool hasKey, ReadOnlySpan<byte> value, int? partition, long? offset, DateTimeOffset? kafkaTimestamp, DateTimeOffset loadedAt, string sourceSystem) =>
        RecordRows.Row(new LoadedRecord(hasKey ? key.ToArray() : null, value.ToArray(), partition, offset, kafkaTimestamp, loadedAt, sourceSystem));

    /// <summary>A row of <c>bronze.dead_letter</c>.</summary>
    public static object?[] DeadLetter(DeadLetter deadLetter) => DeadLetterRows.Row(deadLetter ?? throw new ArgumentNullException(nameof(deadLetter)));

    private readonly record struct LoadedRecord(
        byte[]? Key, byte[] Value, int? Partition, long? Offset, DateTimeOffset? KafkaTimestamp, DateTimeOffset LoadedAt, string SourceSystem);
}
