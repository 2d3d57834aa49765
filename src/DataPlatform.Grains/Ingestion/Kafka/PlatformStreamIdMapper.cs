using DataPlatform.Contracts.Events;
using DataPlatform.Streaming.Kafka;
using Orleans.Runtime;

namespace DataPlatform.Grains.Ingestion.Kafka;

/// <summary>
/// Streams are keyed by what the record is about (user_id, "table:primary key", "source:key"), taken
/// from the decoded record itself: a producer that sets no key, or a wrong one, still reaches the right grain.
/// </summary>
public sealed class PlatformStreamIdMapper : IKafkaStreamIdMapper
{
    public StreamId Map(KafkaRecord record, object payload)
    {
        ArgumentNullException.ThrowIfNull(record);
        return StreamId.Create(record.StreamNamespace, RecordKeys.StreamKeyOf(payload));
    }
}
