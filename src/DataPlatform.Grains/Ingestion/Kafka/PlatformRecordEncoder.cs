using System.Text.Json;
using DataPlatform.Contracts.Serialization;
using DataPlatform.Streaming.Kafka;

namespace DataPlatform.Grains.Ingestion.Kafka;

/// <summary>Events published on an Orleans stream reach Kafka as their contract JSON (snake_case).</summary>
public sealed class PlatformRecordEncoder : IKafkaRecordEncoder
{
    public byte[] Encode(object payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), EventJsonContext.Default);
    }
}
