namespace DataPlatform.Streaming.Kafka;

/// <summary>
/// Turns a Kafka record into a stream event or a dead-letter reason. Called on the receiving silo for
/// every record; it must not throw for bad input (an exception is treated as a rejection).
/// </summary>
public interface IKafkaRecordDecoder
{
    /// <summary>Decodes one record.</summary>
    KafkaDecodeResult Decode(KafkaRecord record);
}

/// <summary>The default decoder: the event is the record value as a byte array.</summary>
public sealed class RawBytesRecordDecoder : IKafkaRecordDecoder
{
    /// <inheritdoc />
    public KafkaDecodeResult Decode(KafkaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return KafkaDecodeResult.Accept(record.Value.ToArray());
    }
}
