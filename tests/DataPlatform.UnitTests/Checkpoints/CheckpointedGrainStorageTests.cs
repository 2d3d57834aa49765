using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Checkpoints;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace DataPlatform.UnitTests.Checkpoints;

/// <summary>
/// A grain activating while a roll-back runs must not keep what the roll-back undid: its read may have been
/// answered before the store rolled back, and the reload may have missed it.
/// </summary>
public sealed class CheckpointedGrainStorageTests
{
    [Fact]
    public async Task A_state_read_during_a_roll_back_is_read_again_and_holds_the_checkpoints_version()
    {
        var serializer = new OrleansGrainStorageSerializer(new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(SegmentStats).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>());
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

    private static byte[] Payload(OrleansGrainStorageSerializer serializer, long users) =>
        serializer.Serialize(new SegmentStats { Users = users }).ToArray();
}
