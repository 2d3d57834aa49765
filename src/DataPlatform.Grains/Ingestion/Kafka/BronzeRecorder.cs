using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Streaming.Kafka;

namespace DataPlatform.Grains.Ingestion.Kafka;

/// <summary>Keeps every record the Kafka receivers read, valid or not, in the bronze table of its topic.</summary>
public sealed class BronzeRecorder(LakeWriter lake, TimeProvider clock) : IKafkaRecordObserver
{
    public void OnRecord(KafkaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var row = BronzeRows.Record(
            record.Key is { } key ? key.Span : default, record.Key is not null, record.Value.Span,
            record.Partition, record.Offset, record.Timestamp, clock.GetUtcNow(), BronzeRows.FromKafka);
        lake.Append(PlatformTables.BronzeTableOf(record.Topic), row, $"{record.Topic}-{record.Partition}", record.Offset);
    }
}
