using System.Collections.Concurrent;
using DataPlatform.Grains.Erasure;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using Microsoft.Extensions.Options;
using DataPlatform.Streaming.Kafka;

namespace DataPlatform.Grains.Ingestion.Kafka;

/// <summary>
/// Keeps every record the Kafka receivers read, valid or not, in the bronze table of its topic; except an erased
/// user's (keyed by the user, or naming them as a JSON value: an event, a change of their rows), which the partition
/// router counts.
/// </summary>
public sealed class BronzeRecorder(LakeWriter lake, ErasureRegister erasures, IOptions<LakeOptions> options, TimeProvider clock) : IKafkaRecordObserver
{
    /// <summary>The appId of a topic-partition in the tables' txn actions, e.g. <c>kafka:topic_users-3</c>.</summary>
    public static string PositionOf(string sourceId, string topic, int partition) => $"{sourceId}:{topic}-{partition}";

    // The table and position names of each topic-partition, made once instead of once per record.
    private readonly ConcurrentDictionary<(string Topic, int Partition), (string Table, string Position)> _names = new();

    public void OnRecord(KafkaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Key is { } erasedKey && erasures.IsErasedKey(erasedKey.Span) || erasures.MentionsErasedUser(record.Value.Span))
        {
            return;
        }
        var row = BronzeRows.Record(
            record.Key is { } key ? key.Span : default, record.Key is not null, record.Value.Span,
            record.Partition, record.Offset, record.Timestamp, clock.GetUtcNow(), BronzeRows.FromKafka);
        var (table, position) = _names.GetOrAdd((record.Topic, record.Partition), static (source, sourceId) =>
            (PlatformTables.BronzeTableOf(source.Topic), PositionOf(sourceId, source.Topic, source.Partition)), options.Value.SourceId);
        lake.Append(table, row, position, record.Offset);
    }
}
