using DataPlatform.Grains.Checkpoints;
using DataPlatform.Lake.Tables;

namespace DataPlatform.UnitTests.Checkpoints;

/// <summary>
/// Activating grains read their states through one batch at a time: reads asked for while a batch is with
/// the store go to it together, each answered with its own state, and a failed batch fails only its reads.
/// </summary>
public sealed class BatchedStateReaderTests
{
    [Fact]
    public async Task Reads_asked_for_while_a_batch_is_with_the_store_go_together_and_each_gets_its_own_state()
    {
        var store = new HeldStore();
        await store.WriteStatesAsync(1, [.. Enumerable.Range(0, 300).Select(i => new StateWrite(Key(i), [(byte)i]))], default);
        var reader = new BatchedStateReader(store);

        var first = reader.ReadAsync(Key(0));
        await store.FirstBatchArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var following = Enumerable.Range(1, 299).Select(i => reader.ReadAsync(Key(i))).Append(reader.ReadAsync(Key(1000))).ToList();
        store.Release.SetResult();

        Assert.Equal([0], await first.WaitAsync(TimeSpan.FromSeconds(10)));
        var payloads = await Task.WhenAll(following).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(Enumerable.Range(1, 299).Select(i => (byte)i), payloads.Take(299).Select(payload => Assert.Single(payload!)));
        Assert.Null(payloads[^1]);
        Assert.Equal([1, 300], store.BatchSizes);
    }

    [Fact]
    public async Task A_batch_the_store_fails_fails_its_reads_and_the_next_batch_is_read()
    {
        var store = new HeldStore { FailNext = true };
        await store.WriteStatesAsync(1, [new StateWrite(Key(7), [7])], default);
        var reader = new BatchedStateReader(store);
        store.Release.SetResult();

        await Assert.ThrowsAsync<IOException>(() => reader.ReadAsync(Key(7)).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([7], await reader.ReadAsync(Key(7)).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static StateKey Key(int i) => new("user", $"user/{i}");

    /// <summary>The in-process store, holding its first batch read until released and counting each batch's keys.</summary>
    private sealed class HeldStore : ICheckpointStore
    {
        private readonly MemoryCheckpointStore _store = new();

        public TaskCompletionSource FirstBatchArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int> BatchSizes { get; } = [];

        public bool FailNext { get; set; }

        public async Task<IReadOnlyDictionary<StateKey, byte[]>> ReadStatesAsync(IReadOnlyList<StateKey> keys, CancellationToken cancellationToken)
        {
            lock (BatchSizes)
            {
                BatchSizes.Add(keys.Count);
            }
            FirstBatchArrived.TrySetResult();
            await Release.Task;
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("the store is unreachable");
            }
            return await _store.ReadStatesAsync(keys, cancellationToken);
        }

        public Task<CheckpointRecord> LoadAsync(CancellationToken cancellationToken) => _store.LoadAsync(cancellationToken);

        public Task<byte[]?> ReadStateAsync(StateKey key, CancellationToken cancellationToken) => _store.ReadStateAsync(key, cancellationToken);

        public Task WriteStatesAsync(long epoch, IReadOnlyList<StateWrite> states, CancellationToken cancellationToken) =>
            _store.WriteStatesAsync(epoch, states, cancellationToken);

        public Task CompleteAsync(long epoch, IReadOnlyDictionary<string, long> offsets, IReadOnlyList<StagedAppend> staged, CancellationToken cancellationToken) =>
            _store.CompleteAsync(epoch, offsets, staged, cancellationToken);

        public Task<CheckpointRecord> RollBackAsync(CancellationToken cancellationToken) => _store.RollBackAsync(cancellationToken);
    }
}
