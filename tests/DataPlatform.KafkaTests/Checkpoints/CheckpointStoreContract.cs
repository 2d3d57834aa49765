using System.Text;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Tables;

namespace DataPlatform.KafkaTests.Checkpoints;

/// <summary>
/// What every <see cref="ICheckpointStore"/> promises, run against each implementation by a subclass that
/// gives every test a store of its own.
/// </summary>
public abstract class CheckpointStoreContract : IAsyncLifetime
{
    private ICheckpointStore? _store;

    protected ICheckpointStore Store => _store ?? throw new InvalidOperationException("The store is made in InitializeAsync.");

    /// <summary>A new, empty store.</summary>
    protected abstract Task<ICheckpointStore> CreateStoreAsync();

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_new_store_has_nothing_checkpointed()
    {
        var record = await Store.LoadAsync(default);

        Assert.Equal(0, record.CompletedEpoch);
        Assert.Equal(0, record.Generation);
        Assert.Empty(record.Offsets);
        Assert.Null(await Store.ReadStateAsync(Key("a"), default));
    }

    [Fact]
    public async Task The_lake_files_an_epoch_staged_come_back_with_it_after_a_reload_and_a_rollback()
    {
        var staged = new StagedAppend("silver.app_events",
            [new AddFile { Path = "event_date=2026-11-27/part-1.parquet", PartitionValues = new() { ["event_date"] = "2026-11-27" }, Size = 1234, ModificationTime = 5, Stats = """{"numRecords":3}""" }],
            new CommitQuality { Rows = 3, NullPercent = new() { ["user_id"] = 0 } });
        await Store.CompleteAsync(1, Offsets(), [staged], default);
        await Store.WriteStatesAsync(2, [Write("a", "a2")], default);

        var loaded = await Store.LoadAsync(default);
        var rolledBack = await Store.RollBackAsync(default);

        foreach (var record in new[] { loaded, rolledBack })
        {
            var kept = Assert.Single(record.Staged);
            Assert.Equal(staged.Table, kept.Table);
            Assert.Equal(staged.Files, kept.Files, (a, b) => a.Path == b.Path && a.Size == b.Size && a.Stats == b.Stats
                && a.PartitionValues.SequenceEqual(b.PartitionValues));
            Assert.Equal((3L, 0.0), (kept.Quality.Rows, kept.Quality.NullPercent["user_id"]));
        }
        await Store.CompleteAsync(2, Offsets(), [], default);
        Assert.Empty((await Store.LoadAsync(default)).Staged);
    }

    [Fact]
    public async Task States_read_together_are_those_read_one_by_one_and_keys_without_a_state_are_left_out()
    {
        var writes = Enumerable.Range(0, 12_000).Select(i => Write($"g{i}", $"v{i}")).ToList();
        await Store.WriteStatesAsync(1, writes, default);

        var keys = writes.Select(write => write.Key).Append(Key("never-written")).ToList();
        var read = await Store.ReadStatesAsync(keys, default);

        Assert.Equal(12_000, read.Count);
        Assert.All(writes, write => Assert.Equal(write.Payload, read[write.Key]));
        Assert.False(read.ContainsKey(Key("never-written")));
        Assert.Equal(read[Key("g7")], await Store.ReadStateAsync(Key("g7"), default));
    }

    [Fact]
    public async Task A_rollback_returns_every_state_to_the_last_completed_epoch_and_starts_a_new_generation()
    {
        await Store.WriteStatesAsync(1, [Write("a", "a1"), Write("b", "b1")], default);
        await Store.CompleteAsync(1, Offsets(("orders-0", 10)), [], default);
        await Store.WriteStatesAsync(2, [Write("a", "a2"), Write("c", "c2")], default);

        Assert.Equal("a2", await ReadAsync("a"));
        Assert.Equal("b1", await ReadAsync("b"));
        Assert.Equal("c2", await ReadAsync("c"));

        var rolledBack = await Store.RollBackAsync(default);

        Assert.Equal((1, 1), (rolledBack.CompletedEpoch, rolledBack.Generation));
        Assert.Equal(Offsets(("orders-0", 10)), rolledBack.Offsets);
        Assert.Equal("a1", await ReadAsync("a"));
        Assert.Equal("b1", await ReadAsync("b"));
        Assert.Null(await ReadAsync("c"));
        var loaded = await Store.LoadAsync(default);
        Assert.Equal((1, 1), (loaded.CompletedEpoch, loaded.Generation));
        Assert.Equal(rolledBack.Offsets, loaded.Offsets);

        // Nothing is left to undo; only the generation moves.
        var again = await Store.RollBackAsync(default);
        Assert.Equal((1, 2), (again.CompletedEpoch, again.Generation));
        Assert.Equal("a1", await ReadAsync("a"));
        Assert.Equal("b1", await ReadAsync("b"));
    }

    [Fact]
    public async Task Writing_twice_in_one_epoch_keeps_the_older_epochs_version_as_the_previous_one()
    {
        await Store.WriteStatesAsync(1, [Write("a", "a1")], default);
        await Store.CompleteAsync(1, Offsets(), [], default);
        await Store.WriteStatesAsync(2, [Write("a", "a2"), Write("new", "new2")], default);
        await Store.WriteStatesAsync(2, [Write("a", "a2-again"), Write("new", "new2-again")], default);

        Assert.Equal("a2-again", await ReadAsync("a"));
        Assert.Equal("new2-again", await ReadAsync("new"));

        await Store.RollBackAsync(default);

        Assert.Equal("a1", await ReadAsync("a"));
        Assert.Null(await ReadAsync("new"));
    }

    [Fact]
    public async Task A_completed_epoch_is_kept_by_a_rollback_and_its_writes_become_the_previous_version()
    {
        await Store.WriteStatesAsync(1, [Write("a", "a1")], default);
        await Store.CompleteAsync(1, Offsets(), [], default);
        await Store.WriteStatesAsync(2, [Write("a", "a2")], default);
        await Store.CompleteAsync(2, Offsets(), [], default);
        await Store.WriteStatesAsync(3, [Write("a", "a3")], default);

        var record = await Store.RollBackAsync(default);

        Assert.Equal((2, 1), (record.CompletedEpoch, record.Generation));
        Assert.Equal("a2", await ReadAsync("a"));
    }

    [Fact]
    public async Task The_last_write_of_a_key_in_one_call_wins()
    {
        await Store.WriteStatesAsync(1, [Write("a", "first"), Write("b", "b1"), Write("a", "last")], default);
        await Store.CompleteAsync(1, Offsets(), [], default);
        await Store.WriteStatesAsync(2, [Write("a", "x"), Write("a", "y")], default);

        Assert.Equal("y", await ReadAsync("a"));

        await Store.RollBackAsync(default);

        Assert.Equal("last", await ReadAsync("a"));
        Assert.Equal("b1", await ReadAsync("b"));
    }

    [Fact]
    public async Task Offsets_merge_across_completes()
    {
        await Store.CompleteAsync(1, Offsets(("orders-0", 5), ("orders-1", 7)), [], default);
        await Store.CompleteAsync(2, Offsets(("orders-1", 9), ("payments-0", 3)), [], default);

        var record = await Store.LoadAsync(default);
        Assert.Equal(2, record.CompletedEpoch);
        Assert.Equal(Offsets(("orders-0", 5), ("orders-1", 9), ("payments-0", 3)), record.Offsets);

        await Store.CompleteAsync(3, Offsets(), [], default);

        record = await Store.LoadAsync(default);
        Assert.Equal(3, record.CompletedEpoch);
        Assert.Equal(Offsets(("orders-0", 5), ("orders-1", 9), ("payments-0", 3)), record.Offsets);
    }

    [Fact]
    public async Task A_batch_of_20000_states_is_written_in_one_call_reads_back_and_rolls_back()
    {
        const int Count = 20_000;
        var keys = Enumerable.Range(0, Count).Select(index => new StateKey($"state-{index % 3}", $"grain-{index:D5}")).ToArray();
        var first = keys.Select((key, index) => new StateWrite(key, Payload(index, epoch: 1))).ToArray();
        var second = keys.Select((key, index) => new StateWrite(key, Payload(index, epoch: 2))).ToArray();

        await Store.WriteStatesAsync(1, first, default);

        await AssertStatesAsync(first);

        await Store.CompleteAsync(1, Offsets(), [], default);
        await Store.WriteStatesAsync(2, second, default);
        await Store.RollBackAsync(default);

        await AssertStatesAsync(first);
    }

    [Fact]
    public async Task Writers_of_the_same_states_in_opposite_orders_at_once_both_finish()
    {
        var keys = Enumerable.Range(0, 12_000).Select(index => Key($"grain-{index:D5}")).ToArray();
        var forward = keys.Select(key => new StateWrite(key, Encoding.UTF8.GetBytes("forward"))).ToArray();
        var backward = keys.Reverse().Select(key => new StateWrite(key, Encoding.UTF8.GetBytes("backward"))).ToArray();

        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(
                Task.Run(() => Store.WriteStatesAsync(1, forward, default)),
                Task.Run(() => Store.WriteStatesAsync(1, backward, default)));
        }

        Assert.Contains(await ReadAsync("grain-00000"), new[] { "forward", "backward" });
    }

    // Reads one key at a time, as grains do, several at once to keep the test short.
    private Task AssertStatesAsync(IEnumerable<StateWrite> expected) =>
        Parallel.ForEachAsync(expected, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (state, cancellationToken) =>
        {
            var payload = await Store.ReadStateAsync(state.Key, cancellationToken);
            Assert.True(payload is not null && payload.AsSpan().SequenceEqual(state.Payload), $"{state.Key} does not read back as written");
        });

    private async Task<string?> ReadAsync(string grainId) =>
        await Store.ReadStateAsync(Key(grainId), default) is { } payload ? Encoding.UTF8.GetString(payload) : null;

    private static StateKey Key(string grainId) => new("counter", grainId);

    private static StateWrite Write(string grainId, string payload) => new(Key(grainId), Encoding.UTF8.GetBytes(payload));

    private static Dictionary<string, long> Offsets(params (string Partition, long NextOffset)[] offsets) =>
        offsets.ToDictionary(pair => pair.Partition, pair => pair.NextOffset, StringComparer.Ordinal);

    /// <summary>1 KiB that differs per state and per epoch.</summary>
    private static byte[] Payload(int index, int epoch)
    {
        var payload = new byte[1024];
        new Random(index * 2 + epoch).NextBytes(payload);
        return payload;
    }
}
