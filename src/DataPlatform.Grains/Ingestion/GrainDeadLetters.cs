using DataPlatform.Streaming.Kafka;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Serialization;

namespace DataPlatform.Grains.Ingestion;

/// <summary>
/// Dead letters for records a grain refuses after the edge accepted them (a producer that published on an
/// Orleans stream directly, or a rule the edge does not know): the record is kept as its contract JSON.
/// </summary>
public static class GrainDeadLetters
{
    /// <summary>A refused record as a dead letter; <paramref name="source"/> is where it was read, when it came from Kafka.</summary>
    public static DeadLetter Of(object record, string reason, DateTimeOffset rejectedAt, KafkaSourcePosition? source = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        var topic = record switch
        {
            AppEvent => Topics.AppEvents,
            ClickstreamEvent => Topics.Clickstream,
            CdcChange => Topics.CdcChanges,
            UserProfileEvent => Topics.Users,
            ExternalEvent => Topics.External,
            _ => throw new ArgumentException($"Not a contract record: {record.GetType().Name}", nameof(record)),
        };
        var payload = JsonSerializer.SerializeToUtf8Bytes(record, record.GetType(), EventJsonContext.Default);
        return new DeadLetter(topic, System.Text.Encoding.UTF8.GetBytes(RecordKeys.KeyOf(record)), reason, payload, rejectedAt,
            source?.Partition, source?.Offset, FromGrain: true);
    }
}
