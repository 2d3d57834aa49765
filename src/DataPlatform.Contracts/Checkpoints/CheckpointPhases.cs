namespace DataPlatform.Contracts.Checkpoints;

/// <summary>The steps of a checkpoint (docs/durability.md) a silo can be in.</summary>
public static class CheckpointPhases
{
    /// <summary>Between checkpoints: reading Kafka and applying records.</summary>
    public const string Running = "running";

    /// <summary>Step 1: reading is paused and the silo waits until everything read was delivered.</summary>
    public const string Pausing = "pausing";

    /// <summary>Step 2: KPI pre-aggregation, schedule changes and lake rows are handed over and committed.</summary>
    public const string Flushing = "flushing";

    /// <summary>Step 3: changed grain states are written; the silo stays here until the coordinator completes the epoch.</summary>
    public const string Persisting = "persisting";

    /// <summary>The cluster goes back to the last completed checkpoint.</summary>
    public const string RollingBack = "rolling_back";
}
