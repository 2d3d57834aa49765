namespace DataPlatform.Contracts.Checkpoints;

/// <summary>
/// Where this silo stands in the cluster's checkpoints, as /health shows it: the step it is in now, the
/// last checkpoint it knows to be completed, and the recovery generation, which grows with every roll-back.
/// </summary>
public interface ICheckpointProgress
{
    /// <summary>One of <see cref="CheckpointPhases"/>.</summary>
    string Phase { get; }

    /// <summary>The last completed checkpoint this silo resumed or rolled back to (0 before the first).</summary>
    long CompletedEpoch { get; }

    /// <summary>The recovery generation this silo reads in.</summary>
    long Generation { get; }
}
