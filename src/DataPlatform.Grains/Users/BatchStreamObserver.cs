using Orleans.Streams;

namespace DataPlatform.Grains.Users;

/// <summary>Receives a stream of contract records, one by one or in batches, as batches.</summary>
internal sealed class BatchStreamObserver<T>(Func<IReadOnlyList<T>, Task> apply) : IAsyncBatchObserver<T>
{
    public Task OnNextAsync(IList<SequentialItem<T>> items) => apply([.. items.Select(item => item.Item)]);

    public Task OnNextAsync(T item, StreamSequenceToken? token = null) => apply([item]);

    public Task OnCompletedAsync() => Task.CompletedTask;

    // Errors of the stream provider are logged by the pulling agent; the subscription stays alive.
    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}
