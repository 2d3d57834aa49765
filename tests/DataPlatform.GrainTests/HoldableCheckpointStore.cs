using DataPlatform.Grains.Checkpoints;
using DataPlatform.Lake.Tables;

namespace DataPlatform.GrainTests;

/// <summary>
/// The silo's in-process store, whose batch reads a test can hold (<see cref="HoldReads"/>) to keep a roll-back
/// in the middle of reloading grain states.
/// </summary>
public sealed class HoldableCheckpointStore(ICheckpointStore store) : ICheckpointStore
{
    private volatile ReadHold? _hold;

    /// <summary>Holds every batch read from now until the returned hold is disposed.</summary>
    public ReadHold HoldReads() => _hold = new ReadHold(this);

    public async Task<IReadOnlyDictionary<StateKey, byte[]>> ReadStatesAsync(IReadOnlyList<StateKey> keys, CancellationToken cancellationToken)
    {
        var read = await store.ReadStatesAsync(keys, cancellationToken);
        if (_hold is { } hold)
        {
            hold.Arrived.TrySetResult();
            await hold.Released.Task;
        }
        return read;
    }

    public Task<CheckpointRecord> LoadAsync(CancellationToken cancellationToken) => store.LoadAsync(cancellationToken);

    public Task<byte[]?> ReadStateAsync(StateKey key, CancellationToken cancellationToken) => store.ReadStateAsync(key, cancellationToken);

    public Task WriteStatesAsync(long epoch, IReadOnlyList<StateWrite> states, CancellationToken cancellationToken) =>
        store.WriteStatesAsync(epoch, states, cancellationToken);

    public Task CompleteAsync(long epoch, IReadOnlyDictionary<string, long> offsets, IReadOnlyList<StagedAppend> staged, CancellationToken cancellationToken) =>
        store.CompleteAsync(epoch, offsets, staged, cancellationToken);

    public Task<CheckpointRecord> RollBackAsync(CancellationToken cancellationToken) => store.RollBackAsync(cancellationToken);

    public sealed class ReadHold(HoldableCheckpointStore store) : IDisposable
    {
        internal TaskCompletionSource Arrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        internal TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when a batch read reached the hold.</summary>
        public Task ReadArrived => Arrived.Task;

        public void Dispose()
        {
            store._hold = null;
            Released.TrySetResult();
        }
    }
}
