using System.Text;
using Orleans.Runtime;

namespace DataPlatform.Streaming.Kafka;

/// <summary>Chooses the stream a decoded record is delivered on.</summary>
public interface IKafkaStreamIdMapper
{
    /// <summary>The stream of a record and its decoded event.</summary>
    StreamId Map(KafkaRecord record, object payload);
}

/// <summary>
/// The default mapping: namespace = the topic's stream namespace, key = the record key as UTF-8 text
/// (records without a key go to the stream keyed by their partition number).
/// </summary>
public sealed class RecordKeyStreamIdMapper : IKafkaStreamIdMapper
{
    /// <inheritdoc />
    public StreamId Map(KafkaRecord record, object payload)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = record.Key is { } bytes
            ? Encoding.UTF8.GetString(bytes.Span)
            : record.Partition.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return StreamId.Create(record.StreamNamespace, key);
    }
}

/// <summary>
/// One stream per topic-partition: namespace = the topic's stream namespace, key = <c>topic-partition</c>.
/// Each poll of a partition is then one delivery to the partition's consumer, however many keys it holds;
/// the consumer routes the records on by what they are about. With many keys and few records per key,
/// this saves a stream, its subscription handshake and its cache cursor per key.
/// </summary>
public sealed class PartitionStreamIdMapper : IKafkaStreamIdMapper
{
    /// <inheritdoc />
    public StreamId Map(KafkaRecord record, object payload)
    {
        ArgumentNullException.ThrowIfNull(record);
        return StreamId.Create(record.StreamNamespace, new KafkaPartition(record.Topic, record.Partition).ToString());
    }
}
