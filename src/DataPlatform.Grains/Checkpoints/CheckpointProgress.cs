using DataPlatform.Contracts.Checkpoints;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// What this silo knows of the cluster's checkpoints: the epoch state writes go to now (the last completed
/// + 1) and the recovery generation. A batch read in an older generation (before the last roll-back)
/// is stale: its records are read again from the checkpoint. From a roll-back's pause on, every batch read
/// so far is stale already, and the roll-back waits for the deliveries under way on this silo to end
/// (<see cref="TryBeginDelivery"/>): a delivery that went on while states are reloaded would apply part of
/// its records to the reloaded state, and the replay would apply them again. /health shows the step the
/// silo is in.
/// </summary>
public sealed class CheckpointProgress : ICheckpointProgress
{
    private static readonly TimeSpan DeliveryPollInterval = TimeSpan.FromMilliseconds(5);
    private long _openEpoch = 1;
    private long _generation;
    private long _staleBelow;
    private int _stateChangesUnderWay;
    private bool _joined;

    private volatile bool _rollingBack;
    private volatile string _phase = CheckpointPhases.Running;

    public long OpenEpoch => Interlocked.Read(ref _openEpoch);

    public long CompletedEpoch => OpenEpoch - 1;

    public string Phase => _phase;

    /// <summary>True from a roll-back's pause until the silo resumes: grain state written now would be discarded.</summary>
    public bool IsRollingBack => _rollingBack;

    public void Pausing(bool rollingBack)
    {
        if (rollingBack)
        {
            Interlocked.Exchange(ref _staleBelow, Generation + 1);
        }
        _rollingBack = rollingBack;
        _phase = rollingBack ? CheckpointPhases.RollingBack : CheckpointPhases.Pausing;
    }

    public void Flushing() => _phase = CheckpointPhases.Flushing;

    public void Persisting() => _phase = CheckpointPhases.Persisting;

    public long Generation => Interlocked.Read(ref _generation);

    public void Completed(long epoch)
    {
        Interlocked.Exchange(ref _openEpoch, epoch + 1);
        Interlocked.Exchange(ref _staleBelow, 0);
        Volatile.Write(ref _joined, true);
        _rollingBack = false;
        _phase = CheckpointPhases.Running;
    }

    /// <summary>
    /// True once this silo knows the cluster's checkpoints (its first join, or a roll-back). Before, it cannot
    /// tell a stale delivery from a fresh one, and its grains' own writes would go to an epoch long completed.
    /// </summary>
    public bool HasJoined => Volatile.Read(ref _joined);

    /// <summary>Takes on the cluster's last completed checkpoint when this silo joins it for the first time.</summary>
    public void Joined(CheckpointRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!HasJoined)
        {
            RolledBack(record);
        }
    }

    public void RolledBack(CheckpointRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Interlocked.Exchange(ref _openEpoch, record.OpenEpoch);
        Interlocked.Exchange(ref _generation, record.Generation);
        Volatile.Write(ref _joined, true);
    }

    /// <summary>
    /// True for a delivery stamped with a reading generation older than the last roll-back, or read before
    /// the roll-back under way. Records not read from Kafka (no generation) cannot be read again: never stale.
    /// </summary>
    public bool IsStale(long? readingGeneration)
    {
        // The fence first: once a roll-back resets it, the generation it waited for is already set.
        var staleBelow = Interlocked.Read(ref _staleBelow);
        return readingGeneration is { } generation && generation < Math.Max(Generation, staleBelow);
    }

    /// <summary>
    /// Starts applying a delivery to grain state unless it is stale; a true answer must be followed by
    /// <see cref="EndStateChange"/> once the delivery's effects are all made.
    /// </summary>
    public bool TryBeginDelivery(long? readingGeneration)
    {
        // Counted before the check: a roll-back that fences after the check still waits for this delivery.
        Interlocked.Increment(ref _stateChangesUnderWay);
        if (IsStale(readingGeneration))
        {
            EndStateChange();
            return false;
        }
        return true;
    }

    /// <summary>
    /// Applies a delivery read in <paramref name="readingGeneration"/> unless it is stale (its records are
    /// read again from the checkpoint); a roll-back waits for it while it runs. A delivery from Kafka that
    /// reaches a silo which has not joined the cluster's checkpoints yet fails: failing holds its batch back
    /// and asks for a roll-back, which reads it again.
    /// </summary>
    public async Task ApplyUnlessStaleAsync(long? readingGeneration, Func<Task> apply)
    {
        ArgumentNullException.ThrowIfNull(apply);
        if (readingGeneration is not null && !HasJoined)
        {
            throw new InvalidOperationException("This silo has not joined the cluster's checkpoints yet: it cannot tell whether a delivery is stale.");
        }
        if (!TryBeginDelivery(readingGeneration))
        {
            return;
        }
        try
        {
            await apply();
        }
        finally
        {
            EndStateChange();
        }
    }

    /// <summary>
    /// Starts a change to grain state that is not a delivery (the KPI grain forwarding segment changes): a
    /// roll-back waits for it like for a delivery. End it with <see cref="EndStateChange"/>.
    /// </summary>
    public void BeginStateChange() => Interlocked.Increment(ref _stateChangesUnderWay);

    public void EndStateChange() => Interlocked.Decrement(ref _stateChangesUnderWay);

    /// <summary>Waits until no delivery or other state change is under way on this silo (call after <see cref="Pausing"/> with a roll-back).</summary>
    public async Task WaitForStateChangesAsync(CancellationToken cancellationToken)
    {
        while (Volatile.Read(ref _stateChangesUnderWay) > 0)
        {
            await Task.Delay(DeliveryPollInterval, cancellationToken);
        }
    }
}
