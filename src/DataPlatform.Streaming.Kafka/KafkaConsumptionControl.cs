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
    private volatile bool _paused;

    /// <summary>True while reading is paused: receivers hand nothing new to the pulling agents.</summary>
    public bool IsPaused => _paused;

    /// <summary>The reading generation batches are stamped with; it grows with every <see cref="RewindAsync"/>.</summary>
    public long Generation => Interlocked.Read(ref _generation);

    /// <summary>The partitions this silo reads now.</summary>
    public IReadOnlyCollection<KafkaPartition> OwnedPartitions => [.. _partitions.Keys];

    /// <summary>Stops handing new records to the pulling agents (what was handed still gets delivered).</summary>
    public void Pause() => _paused = true;

    /// <summary>Reading goes on.</summary>
    public void Resume() => _paused = false;

    /// <summary>
    /// Waits until every batch read from every owned partition was delivered, then answers each partition's
    /// next offset to read: every record before it had its delivery completed. Call while paused. A
    /// partition that has not read anything and does not know where it starts is left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<KafkaPartition, long>> DrainAsync(CancellationToken cancellationToken)
    {
        while (_partitions.Values.Any(partition => partition.PendingBatches > 0))
        {
            await Task.Delay(DrainPollInterval, cancellationToken);
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

    internal void Register(KafkaPartition partition, IControlledPartition receiver) => _partitions[partition] = receiver;

    internal void Unregister(KafkaPartition partition, IControlledPartition receiver) =>
        _partitions.TryRemove(new KeyValuePair<KafkaPartition, IControlledPartition>(partition, receiver));
}

/// <summary>What <see cref="KafkaConsumptionControl"/> asks of one partition's receiver.</summary>
internal interface IControlledPartition
{
    int PendingBatches { get; }

    long? NextOffset { get; }

    Task RewindAsync(long? offset, CancellationToken cancellationToken);

    void StoreOffset(long offset);
}
