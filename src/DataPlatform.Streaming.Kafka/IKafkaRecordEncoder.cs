using System.Text.Json;

namespace DataPlatform.Streaming.Kafka;

/// <summary>Turns an event published on an Orleans stream into the value of a Kafka record.</summary>
public interface IKafkaRecordEncoder
{
    /// <summary>The record value of an event.</summary>
    byte[] Encode(object payload);
}

/// <summary>
/// The default encoder: byte arrays are sent as they are, anything else as JSON (System.Text.Json with
/// the given options, snake_case by default).
/// </summary>
public sealed class JsonRecordEncoder(JsonSerializerOptions? options = null) : IKafkaRecordEncoder
{
    private readonly JsonSerializerOptions _options = options ?? new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <inheritdoc />
    public byte[] Encode(object payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return payload as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), _options);
    }
}
