using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace DataPlatform.Streaming.Kafka;

/// <summary>
/// What this silo's Kafka receivers have done, per topic-partition, and the same figures as
/// System.Diagnostics.Metrics instruments (meter <see cref="MeterName"/>): records and bytes read,
/// dead letters by reason, and consumer lag per partition: the records between the partition's position
/// (the next offset not yet read and delivered) and its high watermark.
/// </summary>
public sealed class KafkaStreamStatistics : IDisposable
{
    /// <summary>The meter that carries the provider's instruments.</summary>
    public const string MeterName = "DataPlatform.Streaming.Kafka";

    private readonly ConcurrentDictionary<(string Provider, string Topic, int Partition), PartitionStatistics> _partitions = new();
    private readonly ConcurrentDictionary<string, long> _deadLettersByReason = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly Counter<long> _records;
    private readonly Counter<long> _bytes;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _lost;

    /// <summary>Creates the statistics and their instruments.</summary>
    public KafkaStreamStatistics()
    {
        _meter = new Meter(MeterName);
        _records = _meter.CreateCounter<long>("kafka.stream.records", "{record}", "Records read from Kafka.");
        _bytes = _meter.CreateCounter<long>("kafka.stream.bytes", "By", "Bytes of record values read from Kafka.");
        _deadLetters = _meter.CreateCounter<long>("kafka.stream.dead_letters", "{record}", "Records rejected by the decoder.");
        _lost = _meter.CreateCounter<long>("kafka.stream.lost", "{record}", "Records Kafka dropped by retention before they were read.");
        _meter.CreateObservableGauge("kafka.stream.lag", ObserveLag, "{record}", "High watermark minus the next offset to commit, per partition.");
    }

    /// <summary>Every partition this silo reads or has read.</summary>
    public IReadOnlyCollection<PartitionStatistics> Partitions => [.. _partitions.Values];

    /// <summary>Dead letters seen by this silo, by reason code.</summary>
    public IReadOnlyDictionary<string, long> DeadLettersByReason => new Dictionary<string, long>(_deadLettersByReason, StringComparer.Ordinal);

    /// <summary>Records Kafka dropped by retention before this silo's receivers read them, over every partition they read.</summary>
    public long TotalLost => _partitions.Values.Sum(p => p.LostRecords);

    /// <summary>The summed lag of the partitions this silo currently owns.</summary>
    public long TotalLag => _partitions.Values.Where(p => p.Owned).Sum(p => p.Lag);

    internal PartitionStatistics Partition(string provider, string topic, int partition) =>
        _partitions.GetOrAdd((provider, topic, partition), key => new PartitionStatistics(key.Provider, key.Topic, key.Partition));

    internal void RecordRead(PartitionStatistics partition, int bytes)
    {
        partition.AddRecord(bytes);
        var tags = TagsOf(partition);
        _records.Add(1, tags);
        _bytes.Add(bytes, tags);
    }

    internal void RecordDeadLetter(PartitionStatistics partition, string reason)
    {
        partition.AddDeadLetter();
        _deadLettersByReason.AddOrUpdate(reason, 1, (_, count) => count + 1);
        _deadLetters.Add(1, new KeyValuePair<string, object?>("topic", partition.Topic), new KeyValuePair<string, object?>("reason", reason));
    }

    internal void RecordLost(PartitionStatistics partition, long records)
    {
        partition.AddLost(records);
        _lost.Add(records, TagsOf(partition));
    }

    private IEnumerable<Measurement<long>> ObserveLag() =>
        _partitions.Values.Where(p => p.Owned).Select(p => new Measurement<long>(p.Lag, TagsOf(p)));

    private static KeyValuePair<string, object?>[] TagsOf(PartitionStatistics partition) =>
    [
        new("provider", partition.Provider),
        new("topic", partition.Topic),
        new("partition", partition.Partition),
    ];

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}

/// <summary>The figures of one topic-partition on this silo.</summary>
public sealed class PartitionStatistics(string provider, string topic, int partition)
{
    private long _records;
    private long _bytes;
    private long _deadLetters;
    private long _lost;

    /// <summary>The stream provider.</summary>
    public string Provider => provider;

    /// <summary>The Kafka topic.</summary>
    public string Topic => topic;

    /// <summary>The partition.</summary>
    public int Partition => partition;

    /// <summary>Records read.</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Bytes of record values read.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Records rejected by the decoder.</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>
    /// Records that were gone before they were read: Kafka's retention dropped them while the group's
    /// position was still behind them (the partition's low watermark passed the offset the group expected).
    /// </summary>
    public long LostRecords => Interlocked.Read(ref _lost);

    /// <summary>
    /// The group's committed offset: read from Kafka when a receiver starts, then updated by every commit
    /// (-1 while unknown or when the group has committed nothing).
    /// </summary>
    public long CommittedOffset { get; internal set; } = -1;

    /// <summary>
    /// The next offset of the partition that is not yet read and delivered, which is the offset the
    /// receiver commits next. When a receiver starts, this is the group's committed offset, or the start
    /// that <see cref="KafkaStreamOptions.StartWhenNoCommittedOffset"/> gives when there is none. After
    /// that it follows every poll and every rewind. -1 while unknown.
    /// </summary>
    public long Position { get; internal set; } = -1;

    /// <summary>The partition's high watermark as last seen by the consumer (-1 when unknown).</summary>
    public long HighWatermark { get; internal set; } = -1;

    /// <summary>True while this silo owns the partition's queue.</summary>
    public bool Owned { get; internal set; }

    /// <summary>
    /// Records not yet read and delivered: high watermark minus <see cref="Position"/>. It is 0 while
    /// either is unknown (before a receiver has reached Kafka).
    /// </summary>
    public long Lag => HighWatermark >= 0 && Position >= 0 ? Math.Max(0, HighWatermark - Position) : 0;

    internal void AddRecord(int bytes)
    {
        Interlocked.Increment(ref _records);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void AddDeadLetter() => Interlocked.Increment(ref _deadLetters);

    internal void AddLost(long records) => Interlocked.Add(ref _lost, records);
}
