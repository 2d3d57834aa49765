using DataPlatform.Grains.Checkpoints;
using DataPlatform.Lake.Tables;

namespace DataPlatform.UnitTests.Checkpoints;

/// <summary>
/// The in-process store, whose batch reads read at once but answer only once released (so a test can change
/// the store while a read is on its way), counting each batch's keys; its writes can be held too.
/// </summary>
internal sealed class HeldCheckpointStore : ICheckpointStore
{
    private readonly MemoryCheckpointStore _store = new();

    public TaskCompletionSource FirstBatchArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<int> BatchSizes { get; } = [];

    public bool FailNext { get; set; }

    /// <summary>When set, state writes reach the store only once it completes.</summary>
    public TaskCompletionSource? HoldWrites { get; set; }

    public TaskCompletionSource WriteArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<IReadOnlyDictionary<StateKey, byte[]>> ReadStatesAsync(IReadOnlyList<StateKey> keys, CancellationToken cancellationToken)
    {
        lock (BatchSizes)
        {
            BatchSizes.Add(keys.Count);
        }
        var read = await _store.ReadStatesAsync(keys, cancellationToken);
        FirstBatchArrived.TrySetResult();
        await Release.Task;
        if (FailNext)
        {
            FailNext = false;
            throw new IOException("the store is unreachable");
        }
        return read;
    }

    public Task<CheckpointRecord> LoadAsync(CancellationToken cancellationToken) => _store.LoadAsync(cancellationToken);

    public Task<byte[]?> ReadStateAsync(StateKey key, CancellationToken cancellationToken) => _store.ReadStateAsync(key, cancellationToken);

    public async Task WriteStatesAsync(long epoch, IReadOnlyList<StateWrite> states, CancellationToken cancellationToken)
    {
        WriteArrived.TrySetResult();
        if (HoldWrites is { } hold)
        {
            await hold.Task;
        }
        await _store.WriteStatesAsync(epoch, states, cancellationToken);
    }

    public Task CompleteAsync(long epoch, IReadOnlyDictionary<string, long> offsets, IReadOnlyList<StagedAppend> staged, CancellationToken cancellationToken) =>
        _store.CompleteAsync(epoch, offsets, staged, cancellationToken);

    public Task<CheckpointRecord> RollBackAsync(CancellationToken cancellationToken) => _store.RollBackAsync(cancellationToken);
}
