using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>Gives every partition's pulling agent a <see cref="DeliveryTrackingQueueCache"/> holding at most <paramref name="capacity"/> batches.</summary>
internal sealed class DeliveryTrackingQueueAdapterCache(int capacity) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId) => new DeliveryTrackingQueueCache(capacity);
}
