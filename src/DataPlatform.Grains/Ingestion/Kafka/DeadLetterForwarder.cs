using DataPlatform.Streaming.Kafka;

namespace DataPlatform.Grains.Ingestion.Kafka;

/// <summary>Hands records the Kafka receivers rejected to the platform's dead-letter sink, with their position.</summary>
public sealed class DeadLetterForwarder(IDeadLetterSink sink, TimeProvider clock) : IKafkaDeadLetterHandler
{
    public ValueTask HandleAsync(KafkaRecord record, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var key = record.Key is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes.Span) : null;
        return sink.WriteAsync(
            new DeadLetter(record.Topic, key, reason, record.Value, clock.GetUtcNow(), record.Partition, record.Offset, record.Timestamp),
            cancellationToken);
    }
}
