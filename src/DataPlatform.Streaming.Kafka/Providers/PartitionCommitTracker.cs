namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// Decides which offset of one partition may be committed: the lowest offset of any batch not yet
/// delivered, or the next offset to read when everything read has been delivered. The pulling agent's
/// cache releases batches in insertion order, so "released up to batch N" completes every earlier batch,
/// including those whose delivery failed and were dropped from the cache.
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

    /// <summary>The cache released batches up to and including this insertion sequence.</summary>
    public void ReleasedThrough(long sequence)
    {
        lock (_gate)
        {
            foreach (var pending in _pendingFirstOffsetBySequence.Keys.TakeWhile(key => key <= sequence).ToList())
            {
                _pendingFirstOffsetBySequence.Remove(pending);
            }
        }
    }

    /// <summary>After a rewind, reading starts again at this offset.</summary>
    public void RestartAt(long offset)
    {
        lock (_gate)
        {
            _nextOffset = offset;
        }
    }
}
