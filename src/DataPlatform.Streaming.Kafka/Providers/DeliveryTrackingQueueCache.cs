using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// The queue cache of one partition. It hands a batch back to the receiver as delivered only once the
/// cursor of the batch's stream moved past it. The pulling agent moves a stream's cursor only after the
/// delivery of the cursor's current batch returned, so a released batch had its delivery completed.
/// Orleans' SimpleQueueCache instead releases every batch of a bucket that no cursor points into, which
/// can include batches whose consumer has not received them yet; a checkpoint that waits for everything
/// read to be delivered must not count those.
/// </summary>
/// <remarks>
/// <para>Its capacity counts records, not batches: one batch may hold a whole poll of a partition. The cache is
/// under pressure (the agent reads no more) once it holds that many.</para>
/// <para>Every stream has at most one consumer here (an implicit subscription), so one cursor passing a
/// batch finishes it. A batch whose delivery failed is dropped without being released: its partition
/// stays pending until the roll-back the failure asks for rewinds it.</para>
/// <para>A stream nobody consumes is recognised the way the agent shows it: the cursor it opens while it
/// looks up the stream's subscribers is closed without having moved, and no consumer's cursor was opened
/// meanwhile. Its batches are released as they come, until a cursor is opened for it again.</para>
/// </remarks>
public sealed class DeliveryTrackingQueueCache(int capacity) : IQueueCache
{
    private readonly Lock _gate = new();
    private readonly Dictionary<StreamId, StreamLane> _lanes = [];
    private List<IBatchContainer> _released = [];
    private int _held;

    /// <summary>Records held: read and not yet passed by their stream's cursor.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <inheritdoc />
    public int GetMaxAddCount() => Math.Max(1, capacity);

    /// <inheritdoc />
    public bool IsUnderPressure()
    {
        lock (_gate)
        {
            return _held >= capacity;
        }
    }

    /// <inheritdoc />
    public void AddToCache(IList<IBatchContainer> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_gate)
        {
            foreach (var batch in messages)
            {
                var lane = LaneOf(batch.StreamId);
                if (lane.Unconsumed)
                {
                    _released.Add(batch);
                    continue;
                }
                var entry = new Entry(batch);
                lane.Entries.Add(entry);
                _held += entry.Records;
            }
        }
    }

    /// <inheritdoc />
    public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
    {
        lock (_gate)
        {
            purgedItems = _released;
            if (_released.Count == 0)
            {
                return false;
            }
            _released = [];
            return true;
        }
    }

    /// <inheritdoc />
    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        lock (_gate)
        {
            var lane = LaneOf(streamId);
            lane.OpenCursors++;
            lane.Unconsumed = false;
            return new Cursor(this, lane, token?.SequenceNumber ?? long.MinValue);
        }
    }

    private StreamLane LaneOf(StreamId streamId)
    {
        if (!_lanes.TryGetValue(streamId, out var lane))
        {
            lane = new StreamLane(streamId);
            _lanes[streamId] = lane;
        }
        return lane;
    }

    // The cursor moved past this batch: it and whatever its stream held before it are done.
    private void Pass(StreamLane lane, Entry passed)
    {
        var through = lane.Entries.IndexOf(passed);
        if (through >= 0)
        {
            Release(lane, through + 1);
        }
    }

    private void Release(StreamLane lane, int count)
    {
        foreach (var entry in lane.Entries.Take(count))
        {
            if (!entry.DeliveryFailed)
            {
                _released.Add(entry.Batch);
            }
            _held -= entry.Records;
        }
        lane.Entries.RemoveRange(0, count);
    }

    private void Close(StreamLane lane, bool moved)
    {
        if (--lane.OpenCursors > 0)
        {
            return;
        }
        // No cursor is left to deliver what the stream holds: nobody will.
        Release(lane, lane.Entries.Count);
        if (moved)
        {
            // A consumer left (its stream went idle, or it unsubscribed); a new one opens a cursor again.
            _lanes.Remove(lane.StreamId);
        }
        else
        {
            lane.Unconsumed = true;
        }
    }

    private sealed class StreamLane(StreamId streamId)
    {
        public StreamId StreamId { get; } = streamId;

        public List<Entry> Entries { get; } = [];

        public int OpenCursors { get; set; }

        public bool Unconsumed { get; set; }
    }

    private sealed class Entry(IBatchContainer batch)
    {
        public IBatchContainer Batch { get; } = batch;

        public int Records { get; } = batch is KafkaBatchContainer kafka ? kafka.Events.Count : 1;

        public bool DeliveryFailed { get; set; }
    }

    private sealed class Cursor(DeliveryTrackingQueueCache cache, StreamLane lane, long fromSequence) : IQueueCacheCursor
    {
        private Entry? _current;
        private long _fromSequence = fromSequence;
        private bool _moved;
        private bool _closed;

        public IBatchContainer? GetCurrent(out Exception? exception)
        {
            exception = null;
            return _current?.Batch;
        }

        public QueueCacheCursorMoveResult MoveNextWithResult() =>
            Advance() ? QueueCacheCursorMoveResult.Success : QueueCacheCursorMoveResult.NoData;

        [Obsolete("Use MoveNextWithResult instead.")]
        public bool MoveNext() => Advance();

        private bool Advance()
        {
            lock (cache._gate)
            {
                _moved = true;
                if (_current is { } delivered)
                {
                    cache.Pass(lane, delivered);
                    _fromSequence = delivered.Batch.SequenceToken.SequenceNumber + 1;
                }
                _current = lane.Entries.Find(entry => entry.Batch.SequenceToken.SequenceNumber >= _fromSequence);
                return _current is not null;
            }
        }

        // The cursor already looks for everything after what it passed: new batches need no refresh.
        public void Refresh(StreamSequenceToken token)
        {
        }

        public void RecordDeliveryFailure()
        {
            lock (cache._gate)
            {
                _current?.DeliveryFailed = true;
            }
        }

        // Closing does not pass the current batch: a cursor that replaces this one passes it.
        public void Dispose()
        {
            lock (cache._gate)
            {
                if (!_closed)
                {
                    _closed = true;
                    cache.Close(lane, _moved);
                }
            }
        }
    }
}
