using DataPlatform.Analytics.Validation;
using DataPlatform.Streaming.Kafka;

namespace DataPlatform.Grains.Ingestion.Kafka;

/// <summary>Decodes and validates Kafka records with the same edge rules as every other ingestion path.</summary>
public sealed class PlatformRecordDecoder(EventDecoder decoder) : IKafkaRecordDecoder
{
    public KafkaDecodeResult Decode(KafkaRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = decoder.Decode(record.Topic, record.Value);
        return result.IsValid ? KafkaDecodeResult.Accept(result.Value!) : KafkaDecodeResult.Reject(result.Reason!);
    }
}
