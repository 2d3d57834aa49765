namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// Decides which offset of one partition may be committed: the lowest offset of any batch not yet
/// delivered, or the next offset to read when everything read has been delivered. The cache releases
/// each batch once its delivery completed, in any order across streams; a batch whose delivery failed is
/// never released, and keeps its partition from moving on until a rewind reads it again.
/// </summary>
public sealed class PartitionCommitTracker
{
    // The pulling agent's thread reads and releases; a checkpoint asks where the partition stands.
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, long> _pendingFirstOffsetBySequence = [];
    private long _nextOffset = -1;

    /// <summary>The offset to commit, or null before anything was read.</summary>
    public long? CommittableOffset
    {
        get
        {
            lock (_gate)
            {
                return _pendingFirstOffsetBySequence.Count > 0 ? _pendingFirstOffsetBySequence.Values.Min()
                    : _nextOffset >= 0 ? _nextOffset
                    : null;
            }
        }
    }

    /// <summary>Batches handed to the cache and not yet released.</summary>
    public int PendingBatches
    {
        get
        {
            lock (_gate)
            {
                return _pendingFirstOffsetBySequence.Count;
            }
        }
    }

    /// <summary>Records that a record was read (whether it became an event or a dead letter).</summary>
    public void Read(long offset)
    {
        lock (_gate)
        {
            _nextOffset = Math.Max(_nextOffset, offset + 1);
        }
    }

    /// <summary>Records a batch handed to the cache, by its insertion sequence and lowest offset.</summary>
    public void Pending(long sequence, long firstOffset)
    {
        lock (_gate)
        {
            _pendingFirstOffsetBySequence[sequence] = firstOffset;
        }
    }

    /// <summary>The cache released these batches (by insertion sequence): their deliveries completed.</summary>
    public void Released(IEnumerable<long> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        lock (_gate)
        {
            foreach (var sequence in sequences)
            {
                _pendingFirstOffsetBySequence.Remove(sequence);
            }
        }
    }

    /// <summary>
    /// After a rewind, reading starts again at this offset. Batches read before it are no longer waited
    /// for: their records are read again, and their own deliveries come from an older reading generation.
    /// </summary>
    public void RestartAt(long offset)
    {
        lock (_gate)
        {
            _pendingFirstOffsetBySequence.Clear();
            _nextOffset = offset;
        }
    }
}
