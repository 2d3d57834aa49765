using DataPlatform.Lake.Tables;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// One silo's part in the cluster's checkpoints, called by <see cref="ICheckpointCoordinatorGrain"/>:
/// every silo pauses, then every silo flushes, then every silo persists, then every silo resumes; or,
/// on failure, every silo pauses, rolls back to the last completed checkpoint and resumes.
/// </summary>
public interface ICheckpointParticipant : IGrainObserver
{
    /// <summary>
    /// Stops reading Kafka and timed work, waits until everything read was delivered, and answers each owned
    /// partition's next offset. When <paramref name="rollingBack"/>, waiting is bounded and state writes stop.
    /// </summary>
    Task<Dictionary<string, long>> PauseAsync(bool rollingBack);

    /// <summary>Hands the silo's KPI pre-aggregation to the KPI grain and commits the lake rows of this checkpoint.</summary>
    Task<IReadOnlyList<StagedAppend>> FlushAsync();

    /// <summary>Writes every grain state of this silo that changed, in <paramref name="epoch"/>.</summary>
    Task PersistAsync(long epoch);

    /// <summary>Drops what happened since the last completed checkpoint, loads its state again and goes back to its offsets.</summary>
    Task RollBackAsync(CheckpointRecord record);

    /// <summary>Commits <paramref name="offsets"/> of owned partitions to Kafka and goes on; <paramref name="completedEpoch"/> is now the last completed.</summary>
    Task ResumeAsync(long completedEpoch, Dictionary<string, long> offsets);
}
