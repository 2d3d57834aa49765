using DataPlatform.Grains.Checkpoints;
using DataPlatform.Streaming.Kafka;
using Microsoft.Extensions.Logging;

namespace DataPlatform.Grains.Ingestion.Kafka;

/// <summary>
/// Ties the Kafka provider to the cluster's checkpoints: a partition starts at the offset of the last
/// completed checkpoint, and a partition changing owner or a failed delivery makes the cluster roll back
/// to it (what was read since is read again, on grain state as the checkpoint left it).
/// </summary>
public sealed partial class PlatformCheckpointer(ICheckpointStore store, IGrainFactory grains, ILogger<PlatformCheckpointer> logger) : IKafkaCheckpointer
{
    public async Task<long?> StartOffsetAsync(KafkaPartition partition, CancellationToken cancellationToken)
    {
        var record = await store.LoadAsync(cancellationToken);
        return record.Offsets.TryGetValue(partition.ToString(), out var offset) ? offset : null;
    }

    public void PartitionAcquired(KafkaPartition partition) => RequestRollBack($"this silo started reading {partition}");

    public void DeliveryFailed(KafkaPartition partition, Exception? exception) => RequestRollBack($"a delivery from {partition} failed");

    private void RequestRollBack(string reason) => _ = RequestRollBackAsync(reason);

    private async Task RequestRollBackAsync(string reason)
    {
        try
        {
            await grains.GetGrain<ICheckpointCoordinatorGrain>(0).RequestRollBackAsync(reason);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The coordinator rolls back whenever it starts: a request that cannot reach it is not needed.
            LogRequestFailed(logger, ex, reason);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Could not ask the checkpoint coordinator to roll back ({Reason})")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception, string reason);
}
