using DataPlatform.Grains.Checkpoints;

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
        var store = new HeldCheckpointStore();
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
        var store = new HeldCheckpointStore { FailNext = true };
        await store.WriteStatesAsync(1, [new StateWrite(Key(7), [7])], default);
        var reader = new BatchedStateReader(store);
        store.Release.SetResult();

        await Assert.ThrowsAsync<IOException>(() => reader.ReadAsync(Key(7)).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([7], await reader.ReadAsync(Key(7)).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static StateKey Key(int i) => new("user", $"user/{i}");
}
