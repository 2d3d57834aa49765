using DataPlatform.Grains.Checkpoints;
using DataPlatform.Streaming.Kafka;
using Orleans.Streams;

namespace DataPlatform.Grains.Users;

/// <summary>
/// Receives a stream of contract records, one by one or in batches, as batches with the position each was
/// read at (null off Kafka). A delivery read before the cluster's last roll-back, or before the one under
/// way, is dropped: its records are read again from the checkpoint.
/// </summary>
internal sealed class BatchStreamObserver<T>(CheckpointProgress progress, Func<IReadOnlyList<Sourced<T>>, Task> apply) : IAsyncBatchObserver<T>
{
    public Task OnNextAsync(IList<SequentialItem<T>> items) =>
        ApplyUnlessStaleAsync([.. items.Select(item => new Sourced<T>(item.Item, item.Token as KafkaSourcePosition))]);

    public Task OnNextAsync(T item, StreamSequenceToken? token = null) =>
        ApplyUnlessStaleAsync([new Sourced<T>(item, token as KafkaSourcePosition)]);

    public Task OnCompletedAsync() => Task.CompletedTask;

    // Errors of the stream provider are logged by the pulling agent; the subscription stays alive.
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

    private async Task ApplyUnlessStaleAsync(IReadOnlyList<Sourced<T>> records)
    {
        // A delivery is one batch container's records: they were all read in the same generation.
        var generation = records.Count > 0 ? records[0].Source?.ReadingGeneration : null;
        if (generation is not null && !progress.HasJoined)
        {
            // Failing the delivery holds its batch back and asks for a roll-back, which reads it again.
            throw new InvalidOperationException("This silo has not joined the cluster's checkpoints yet: it cannot tell whether a delivery is stale.");
        }
        if (!progress.TryBeginDelivery(generation))
        {
            return;
        }
        try
        {
            await apply(records);
        }
        finally
        {
            progress.EndStateChange();
        }
    }
}

/// <summary>A record and the Kafka position it was read at, when it came from Kafka.</summary>
internal readonly record struct Sourced<T>(T Record, KafkaSourcePosition? Source);
