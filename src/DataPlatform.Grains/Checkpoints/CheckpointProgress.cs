namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// What this silo knows of the cluster's checkpoints: the epoch state writes go to now (the last completed
/// + 1) and the recovery generation. A batch read in an older generation (before the last roll-back)
/// is stale: its records are read again from the checkpoint.
/// </summary>
public sealed class CheckpointProgress
{
    private long _openEpoch = 1;
    private long _generation;

    private volatile bool _rollingBack;

    public long OpenEpoch => Interlocked.Read(ref _openEpoch);

    /// <summary>True from a roll-back's pause until the silo resumes: grain state written now would be discarded.</summary>
    public bool IsRollingBack => _rollingBack;

    public void Pausing(bool rollingBack) => _rollingBack = rollingBack;

    public long Generation => Interlocked.Read(ref _generation);

    public void Completed(long epoch)
    {
        Interlocked.Exchange(ref _openEpoch, epoch + 1);
        _rollingBack = false;
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
