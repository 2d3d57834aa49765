namespace DataPlatform.Streaming.Kafka;

/// <summary>
/// Receives the records the decoder rejected (register one in the silo's services to keep them, e.g. in
/// a dead-letter table or topic). Rejected records are always counted in the provider's metrics.
/// </summary>
public interface IKafkaDeadLetterHandler
{
    /// <summary>Handles one rejected record; exceptions are logged and do not stop the partition.</summary>
    ValueTask HandleAsync(KafkaRecord record, string reason, CancellationToken cancellationToken);
}
