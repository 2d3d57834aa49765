using DataPlatform.Contracts.Checkpoints;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// A moment to kill a silo in, after the rows of docs/durability.md's table of crashes: the kill is started when the
/// silo's /health shows <paramref name="Trigger"/>, and it struck in the moment when the silo's last answer before it
/// died shows <paramref name="Target"/>.
/// </summary>
public sealed record KillMoment(string Name, Func<SiloHealth, bool> Trigger, Func<SiloHealth, bool> Target)
{
    /// <summary>Its lake writer writes or commits rows.</summary>
    public static readonly KillMoment LakeFlush = new("lake flush", health => health.Flushing, health => health.Flushing);

    /// <summary>Checkpoint step 1: the silo has stopped reading and drains what it read.</summary>
    public static readonly KillMoment Pause = new("checkpoint pause", health => health.Phase == CheckpointPhases.Pausing,
        health => health.Phase == CheckpointPhases.Pausing);

    /// <summary>
    /// Checkpoint steps 2 and 3: the epoch's lake rows are being written, or were, and its grain states are being
    /// written; the epoch fails with the silo, so its records are read again. The kill starts when the flush does,
    /// since it takes longer than a step.
    /// </summary>
    public static readonly KillMoment FlushOrPersist = new("checkpoint flush or persist", health => health.Phase == CheckpointPhases.Flushing,
        health => health.Phase is CheckpointPhases.Flushing or CheckpointPhases.Persisting);
}
