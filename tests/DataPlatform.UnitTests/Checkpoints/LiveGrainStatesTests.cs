using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Checkpoints;

namespace DataPlatform.UnitTests.Checkpoints;

/// <summary>
/// A checkpoint compares only the states whose grain had a turn since the last one; a state it took but could
/// not write is compared again by the next, though its grain may never have another turn.
/// </summary>
public sealed class LiveGrainStatesTests
{
    private static readonly GrainId Grain = GrainId.Create("segment", "VIP");
    private static readonly StateKey Key = CheckpointedGrainStorage.KeyOf("segment", Grain);

    [Fact]
    public void Only_a_state_whose_grain_had_a_turn_is_compared_again()
    {
        var (live, state) = Tracked();
        Assert.Single(live.Changed());
        live.Written(live.Changed());

        state.State = new SegmentStats { Users = 2 };
        Assert.Empty(live.Changed());

        live.Touch(Grain);
        Assert.Equal(Key, Assert.Single(live.Changed()).Write.Key);
    }

    [Fact]
    public void A_state_that_could_not_be_written_is_compared_again_without_another_turn()
    {
        var (live, _) = Tracked();
        var taken = live.Changed();
        Assert.Single(taken);

        live.NotWritten(taken);

        Assert.Equal(Key, Assert.Single(live.Changed()).Write.Key);
    }

    private static (LiveGrainStates Live, GrainState<SegmentStats> State) Tracked()
    {
        var live = new LiveGrainStates(CheckpointedGrainStorageTests.Serializer());
        var state = new GrainState<SegmentStats>(new SegmentStats { Users = 1 });
        live.Track(Key, Grain, state, written: null);
        return (live, state);
    }
}
