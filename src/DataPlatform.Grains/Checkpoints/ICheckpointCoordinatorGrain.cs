using Orleans.Concurrency;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>The cluster's one checkpoint coordinator (key 0).</summary>
public interface ICheckpointCoordinatorGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// A silo's participant announces itself (again); the coordinator only checkpoints when every active silo did.
    /// <paramref name="replayable"/>: the silo reads its records from Kafka, so they can be read again after a roll-back.
    /// Answers the last completed checkpoint, whose epoch and generation a silo that just started takes on.
    /// </summary>
    [AlwaysInterleave]
    Task<CheckpointRecord> JoinAsync(SiloAddress silo, ICheckpointParticipant participant, bool replayable);

    /// <summary>Something happened that the last checkpoint must be gone back to (a partition changed owner, a delivery failed).</summary>
    [AlwaysInterleave]
    Task RequestRollBackAsync(string reason);

    /// <summary>
    /// Runs what the next tick would run (a checkpoint, or the roll-back one waits for) now, and answers the
    /// status after it: for a caller that needs what was read so far made durable without waiting.
    /// </summary>
    Task<CheckpointStatus> CheckpointNowAsync();

    /// <summary>The last completed checkpoint and whether a roll-back is pending.</summary>
    [AlwaysInterleave]
    Task<CheckpointStatus> GetStatusAsync();
}

/// <summary>What the coordinator says about checkpoints.</summary>
[GenerateSerializer, Immutable, Alias("dp.CheckpointStatus")]
public sealed record CheckpointStatus(
    [property: Id(0)] long CompletedEpoch,
    [property: Id(1)] long Generation,
    [property: Id(2)] DateTimeOffset? CompletedAt,
    [property: Id(3)] int Participants,
    [property: Id(4)] bool RollBackPending,
    [property: Id(5)] long RollBacks);
