using System.Collections.Concurrent;

namespace DataPlatform.Streaming.Kafka;

/// <summary>
/// The partitions this silo reads, as a whole: pause and resume reading, wait until everything read was
/// delivered (and learn where each partition stands then), go back to given positions under a new reading
/// generation, and commit positions to Kafka. This is what an application that checkpoints its state
/// (see <see cref="IKafkaCheckpointer"/>) needs from the provider; one instance per silo.
/// </summary>
public sealed class KafkaConsumptionControl
{
    private static readonly TimeSpan DrainPollInterval = TimeSpan.FromMilliseconds(10);
    private readonly ConcurrentDictionary<KafkaPartition, IControlledPartition> _partitions = new();
    private long _generation;
    private int _paused;
    private int _pollsUnderWay;
    private int _ownershipChanged;

    /// <summary>True while reading is paused: receivers hand nothing new to the pulling agents.</summary>
    public bool IsPaused => Volatile.Read(ref _paused) == 1;

    /// <summary>The reading generation batches are stamped with; it grows with every <see cref="RewindAsync"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>
    /// True when this silo took or gave up a partition since the last <see cref="RewindAsync"/>. What the old
    /// owner delivered from a moved partition is in grain state, but no position of this silo covers it, and
    /// the new owner reads it again from an older position: <see cref="DrainAsync"/> refuses until a rewind
    /// puts every partition back at a position the state agrees with.
    /// </summary>
    public bool OwnershipChanged => Volatile.Read(ref _ownershipChanged) == 1;

    /// <summary>The partitions this silo reads now.</summary>
    public IReadOnlyCollection<KafkaPartition> OwnedPartitions => [.. _partitions.Keys];

    /// <summary>Stops handing new records to the pulling agents (what was handed still gets delivered).</summary>
    // A full fence: a poll that counts itself and then finds reading not paused is seen by the drain that follows.
    public void Pause() => Interlocked.Exchange(ref _paused, 1);

    /// <summary>Reading goes on.</summary>
    public void Resume() => Interlocked.Exchange(ref _paused, 0);

    /// <summary>
    /// A receiver's poll begins: it reads records and hands them over as batches only after this, and only
    /// when reading is not paused. Dispose the answer when the poll has handed its batches over.
    /// </summary>
    internal PollUnderWay BeginPoll()
    {
        Interlocked.Increment(ref _pollsUnderWay);
        return new PollUnderWay(this);
    }

    /// <summary>
    /// Waits until every batch read from every owned partition was delivered, then answers each partition's
    /// next offset to read: every record before it had its delivery completed. Call while paused. A
    /// partition that has not read anything and does not know where it starts is left out.
    /// </summary>
    /// <exception cref="PartitionsMovedException">A partition came or went since the last rewind.</exception>
    public async Task<IReadOnlyDictionary<KafkaPartition, long>> DrainAsync(CancellationToken cancellationToken)
    {
        // A poll that began before the pause reads on and hands its batches over after it: until it has, a
        // partition's position may stand before records the poll then delivers, or past ones it has read but
        // not handed over yet.
        while (Volatile.Read(ref _pollsUnderWay) > 0 || _partitions.Values.Any(partition => partition.PendingBatches > 0))
        {
            await Task.Delay(DrainPollInterval, cancellationToken);
        }
        if (OwnershipChanged)
        {
            throw new PartitionsMovedException();
        }
        var positions = new Dictionary<KafkaPartition, long>();
        foreach (var (partition, receiver) in _partitions)
        {
            if (receiver.NextOffset is { } next)
            {
                positions[partition] = next;
            }
        }
        return positions;
    }

    /// <summary>
    /// Starts a new reading generation and sends every owned partition back to its position in
    /// <paramref name="positions"/> (a partition not listed goes back to where its checkpointer says it starts).
    /// </summary>
    public async Task RewindAsync(long generation, IReadOnlyDictionary<KafkaPartition, long> positions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(positions);
        long current;
        do
        {
            current = Interlocked.Read(ref _generation);
        }
        while (generation > current && Interlocked.CompareExchange(ref _generation, generation, current) != current);
        // Cleared before the partitions go back: one that comes or goes from here on sets it again.
        Volatile.Write(ref _ownershipChanged, 0);
        foreach (var (partition, receiver) in _partitions)
        {
            await receiver.RewindAsync(positions.TryGetValue(partition, out var offset) ? offset : null, cancellationToken);
        }
    }

    /// <summary>Commits these positions of owned partitions to Kafka (the consumer group's offsets, which show lag to Kafka's tools).</summary>
    public void Commit(IReadOnlyDictionary<KafkaPartition, long> positions)
    {
        ArgumentNullException.ThrowIfNull(positions);
        foreach (var (partition, offset) in positions)
        {
            if (_partitions.TryGetValue(partition, out var receiver))
            {
                receiver.StoreOffset(offset);
            }
        }
    }

    internal void EndPoll() => Interlocked.Decrement(ref _pollsUnderWay);

    internal void Register(KafkaPartition partition, IControlledPartition receiver)
    {
        _partitions[partition] = receiver;
        Volatile.Write(ref _ownershipChanged, 1);
    }

    internal void Unregister(KafkaPartition partition, IControlledPartition receiver)
    {
        if (_partitions.TryRemove(new KeyValuePair<KafkaPartition, IControlledPartition>(partition, receiver)))
        {
            Volatile.Write(ref _ownershipChanged, 1);
        }
    }
}

/// <summary>A poll counted by <see cref="KafkaConsumptionControl.BeginPoll"/>; disposing it ends the poll.</summary>
internal readonly struct PollUnderWay(KafkaConsumptionControl control) : IDisposable
{
    public void Dispose() => control.EndPoll();
}

/// <summary>What <see cref="KafkaConsumptionControl"/> asks of one partition's receiver.</summary>
internal interface IControlledPartition
{
    int PendingBatches { get; }

    long? NextOffset { get; }

    Task RewindAsync(long? offset, CancellationToken cancellationToken);

    void StoreOffset(long offset);
}
