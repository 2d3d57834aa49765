using DataPlatform.Streaming.Kafka;

namespace DataPlatform.Grains.Ingestion.Kafka;

/// <summary>Hands records the Kafka receivers rejected to the platform's dead-letter sink, with their key and value bytes and their position.</summary>
public sealed class DeadLetterForwarder(IDeadLetterSink sink, TimeProvider clock) : IKafkaDeadLetterHandler
{
    public ValueTask HandleAsync(KafkaRecord record, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return sink.WriteAsync(
            new DeadLetter(record.Topic, record.Key, reason, record.Value, clock.GetUtcNow(), record.Partition, record.Offset, record.Timestamp),
            cancellationToken);
    }
}
