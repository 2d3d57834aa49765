using DataPlatform.Contracts.Checkpoints;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// What this silo knows of the cluster's checkpoints: the epoch state writes go to now (the last completed
/// + 1) and the recovery generation. A batch read in an older generation (before the last roll-back)
/// is stale: its records are read again from the checkpoint. /health shows the step the silo is in.
/// </summary>
public sealed class CheckpointProgress : ICheckpointProgress
{
    private long _openEpoch = 1;
    private long _generation;

    private volatile bool _rollingBack;
    private volatile string _phase = CheckpointPhases.Running;

    public long OpenEpoch => Interlocked.Read(ref _openEpoch);

    public long CompletedEpoch => OpenEpoch - 1;

    public string Phase => _phase;

    /// <summary>True from a roll-back's pause until the silo resumes: grain state written now would be discarded.</summary>
    public bool IsRollingBack => _rollingBack;

    public void Pausing(bool rollingBack)
    {
        _rollingBack = rollingBack;
        _phase = rollingBack ? CheckpointPhases.RollingBack : CheckpointPhases.Pausing;
    }

    public void Flushing() => _phase = CheckpointPhases.Flushing;

    public void Persisting() => _phase = CheckpointPhases.Persisting;

    public long Generation => Interlocked.Read(ref _generation);

    public void Completed(long epoch)
    {
        Interlocked.Exchange(ref _openEpoch, epoch + 1);
        _rollingBack = false;
        _phase = CheckpointPhases.Running;
    }

    public void RolledBack(CheckpointRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Interlocked.Exchange(ref _openEpoch, record.OpenEpoch);
        Interlocked.Exchange(ref _generation, record.Generation);
    }

    /// <summary>True for a delivery stamped with a reading generation older than the last roll-back.</summary>
    public bool IsStale(long? readingGeneration) => readingGeneration is { } generation && generation < Generation;
}
