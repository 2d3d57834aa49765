using DataPlatform.Contracts.Checkpoints;
using DataPlatform.Grains.Checkpoints;

namespace DataPlatform.UnitTests.Checkpoints;

/// <summary>
/// The step a silo shows in /health follows the participant through a checkpoint and a roll-back; which
/// deliveries are stale, and the roll-back's wait for deliveries under way.
/// </summary>
public sealed class CheckpointProgressTests
{
    [Fact]
    public void A_checkpoint_goes_through_pausing_flushing_and_persisting_and_completing_it_is_running_again()
    {
        var progress = new CheckpointProgress();
        Assert.Equal((CheckpointPhases.Running, 0L, 0L), (progress.Phase, progress.CompletedEpoch, progress.Generation));

        progress.Pausing(rollingBack: false);
        Assert.Equal(CheckpointPhases.Pausing, progress.Phase);
        progress.Flushing();
        Assert.Equal(CheckpointPhases.Flushing, progress.Phase);
        progress.Persisting();
        Assert.Equal((CheckpointPhases.Persisting, 0L), (progress.Phase, progress.CompletedEpoch));
        progress.Completed(1);

        Assert.Equal((CheckpointPhases.Running, 1L, 2L), (progress.Phase, progress.CompletedEpoch, progress.OpenEpoch));
    }

    [Fact]
    public void A_roll_back_shows_until_the_silo_resumes_at_the_checkpoint_it_went_back_to()
    {
        var progress = new CheckpointProgress();
        progress.Completed(7);
        progress.Pausing(rollingBack: false);
        progress.Flushing();

        progress.Pausing(rollingBack: true);
        Assert.Equal(CheckpointPhases.RollingBack, progress.Phase);
        progress.RolledBack(new CheckpointRecord(7, 4, new Dictionary<string, long>()));
        Assert.Equal((CheckpointPhases.RollingBack, 7L, 4L), (progress.Phase, progress.CompletedEpoch, progress.Generation));
        progress.Completed(7);

        Assert.Equal((CheckpointPhases.Running, 7L, 4L), (progress.Phase, progress.CompletedEpoch, progress.Generation));
    }

    [Fact]
    public void From_a_roll_backs_pause_every_delivery_read_so_far_is_stale_and_after_it_only_the_new_generation_applies()
    {
        var progress = new CheckpointProgress();
        progress.RolledBack(new CheckpointRecord(3, 2, new Dictionary<string, long>()));
        progress.Completed(3);
        Assert.True(Begin(progress, 2));
        Assert.False(Begin(progress, 1));

        progress.Pausing(rollingBack: true);
        Assert.False(Begin(progress, 2));
        Assert.True(Begin(progress, null));

        progress.RolledBack(new CheckpointRecord(3, 3, new Dictionary<string, long>()));
        progress.Completed(3);
        Assert.False(Begin(progress, 2));
        Assert.True(Begin(progress, 3));

        // A checkpoint's pause (no roll-back) drains what was read: nothing becomes stale.
        progress.Pausing(rollingBack: false);
        Assert.True(Begin(progress, 3));

        // A roll-back given up for a resume (no silo can read again) lets the same generation apply again.
        progress.Pausing(rollingBack: true);
        Assert.False(Begin(progress, 3));
        progress.Completed(3);
        Assert.True(Begin(progress, 3));
    }

    [Fact]
    public async Task A_roll_back_waits_for_the_deliveries_under_way_and_not_for_those_it_dropped()
    {
        var progress = new CheckpointProgress();
        Assert.True(progress.TryBeginDelivery(0));
        progress.Pausing(rollingBack: true);
        Assert.False(progress.TryBeginDelivery(0));

        var waiting = progress.WaitForStateChangesAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        progress.EndStateChange();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        // A state change that is not a delivery is never dropped, and waited for all the same.
        progress.BeginStateChange();
        var waitingForChange = progress.WaitForStateChangesAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(waitingForChange.IsCompleted);
        progress.EndStateChange();
        await waitingForChange.WaitAsync(TimeSpan.FromSeconds(10));

        using var expired = new CancellationTokenSource();
        Assert.True(progress.TryBeginDelivery(null));
        await expired.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => progress.WaitForStateChangesAsync(expired.Token));
    }

    private static bool Begin(CheckpointProgress progress, long? generation)
    {
        var begun = progress.TryBeginDelivery(generation);
        if (begun)
        {
            progress.EndStateChange();
        }
        return begun;
    }

    [Fact]
    public void A_silo_that_starts_takes_on_the_clusters_checkpoint_at_its_first_join_and_only_then()
    {
        var progress = new CheckpointProgress();
        Assert.False(progress.HasJoined);

        progress.Joined(new CheckpointRecord(7, 4, new Dictionary<string, long>()));
        Assert.Equal((true, 8L, 4L), (progress.HasJoined, progress.OpenEpoch, progress.Generation));
        Assert.True(progress.IsStale(3));

        // Later joins answer what the silo already follows through its checkpoints and roll-backs.
        progress.Completed(8);
        progress.Joined(new CheckpointRecord(7, 4, new Dictionary<string, long>()));
        Assert.Equal((9L, 4L), (progress.OpenEpoch, progress.Generation));
    }
}
