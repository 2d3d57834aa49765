using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Checkpoints;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace DataPlatform.UnitTests.Checkpoints;

/// <summary>
/// A grain activating while a roll-back runs must not keep what the roll-back undid: its read may have been
/// answered before the store rolled back, and the reload may have missed it. A grain's own write (when it is
/// collected) must not land after the store rolled back either.
/// </summary>
public sealed class CheckpointedGrainStorageTests
{
    [Fact]
    public async Task A_state_read_during_a_roll_back_is_read_again_and_holds_the_checkpoints_version()
    {
        var serializer = Serializer();
        var live = new LiveGrainStates(serializer);
        var store = new HeldCheckpointStore();
        var grain = GrainId.Create("segment", "VIP");
        var key = CheckpointedGrainStorage.KeyOf("segment", grain);
        await store.WriteStatesAsync(1, [new StateWrite(key, Payload(serializer, 1))], default);
        await store.CompleteAsync(1, new Dictionary<string, long>(), [], default);
        await store.WriteStatesAsync(2, [new StateWrite(key, Payload(serializer, 2))], default);
        var progress = new CheckpointProgress();
        var storage = new CheckpointedGrainStorage(store, new BatchedStateReader(store), live, progress);
        var state = new GrainState<SegmentStats>();

        var activating = storage.ReadStateAsync("segment", grain, state);
        await store.FirstBatchArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // Epoch 2 never completes: the store goes back to epoch 1 and the silo to the new generation.
        progress.Pausing(rollingBack: true);
        progress.RolledBack(await store.RollBackAsync(default));
        store.Release.SetResult();
        await activating.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, state.State!.Users);
        Assert.Equal([1, 1], store.BatchSizes);
    }

    [Fact]
    public async Task A_roll_back_waits_for_a_grain_write_under_way_and_the_store_then_undoes_it()
    {
        var serializer = Serializer();
        var store = new HeldCheckpointStore { HoldWrites = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        store.Release.SetResult();
        var grain = GrainId.Create("segment", "VIP");
        var key = CheckpointedGrainStorage.KeyOf("segment", grain);
        await store.CompleteAsync(1, new Dictionary<string, long>(), [], default);
        var progress = new CheckpointProgress();
        progress.RolledBack(await store.LoadAsync(default));
        var storage = new CheckpointedGrainStorage(store, new BatchedStateReader(store), new LiveGrainStates(serializer), progress);

        // A grain being collected writes its state in the open epoch, 2; a roll-back to epoch 1 begins meanwhile.
        var collecting = storage.WriteStateAsync("segment", grain, new GrainState<SegmentStats>(new SegmentStats { Users = 7 }));
        await store.WriteArrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        progress.Pausing(rollingBack: true);
        var waiting = progress.WaitForStateChangesAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted, "the roll-back went on while a grain's write was on its way to the store");

        store.HoldWrites.SetResult();
        await collecting.WaitAsync(TimeSpan.FromSeconds(10));
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        await store.RollBackAsync(default);
        Assert.Null(await store.ReadStateAsync(key, default));
    }

    internal static OrleansGrainStorageSerializer Serializer() => new(new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(SegmentStats).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>());

    private static byte[] Payload(OrleansGrainStorageSerializer serializer, long users) =>
        serializer.Serialize(new SegmentStats { Users = users }).ToArray();
}
