using DataPlatform.Contracts.Checkpoints;
using DataPlatform.Grains.Checkpoints;

namespace DataPlatform.UnitTests.Checkpoints;

/// <summary>The step a silo shows in /health follows the participant through a checkpoint and a roll-back.</summary>
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
}
