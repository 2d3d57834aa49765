namespace DataPlatform.Streaming.Kafka;

/// <summary>
/// Where the provider's receivers start and whom they tell about ownership and delivery. Without one, a
/// receiver starts at the consumer group's committed offset and commits what its consumers were handed.
/// With one (an application that checkpoints its own state), the checkpoint decides where reading starts,
/// offsets are committed to Kafka only as the checkpoint says (<see cref="KafkaConsumptionControl.Commit"/>),
/// and a partition that changes owner or a batch that could not be delivered is reported, so the
/// application can go back to its last checkpoint.
/// </summary>
public interface IKafkaCheckpointer
{
    /// <summary>The offset to start reading a partition at, or null to start at the group's committed offset.</summary>
    Task<long?> StartOffsetAsync(KafkaPartition partition, CancellationToken cancellationToken);

    /// <summary>This silo started reading <paramref name="partition"/> (at start-up or after a rebalance).</summary>
    void PartitionAcquired(KafkaPartition partition);

    /// <summary>A batch read from <paramref name="partition"/> could not be delivered to its consumers.</summary>
    void DeliveryFailed(KafkaPartition partition, Exception? exception);
}
