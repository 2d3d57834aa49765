using System.Text;
using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// One Orleans queue per Kafka topic-partition. The queue's name prefix is the topic and its numeric id
/// is the partition; uniform hash codes are spread evenly so the queue balancer divides them fairly.
/// </summary>
public sealed class KafkaQueueMapper : IConsistentRingStreamQueueMapper
{
    private readonly QueueId[] _queues;
    private readonly Dictionary<string, (string Topic, int Partitions, int FirstQueue)> _byNamespace = new(StringComparer.Ordinal);

    /// <summary>Creates the queues of the given topics (namespace, topic name, partition count).</summary>
    public KafkaQueueMapper(IEnumerable<(string StreamNamespace, string Topic, int Partitions)> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        var ordered = topics.OrderBy(t => t.Topic, StringComparer.Ordinal).ToList();
        var total = ordered.Sum(t => t.Partitions);
        if (total == 0)
        {
            throw new ArgumentException("At least one topic with partitions is required.", nameof(topics));
        }
        var spacing = uint.MaxValue / (uint)total;
        _queues = new QueueId[total];
        var index = 0;
        foreach (var (streamNamespace, topic, partitions) in ordered)
        {
            _byNamespace[streamNamespace] = (topic, partitions, index);
            for (var partition = 0; partition < partitions; partition++, index++)
            {
                _queues[index] = QueueId.GetQueueId(topic, (uint)partition, (uint)index * spacing);
            }
        }
    }

    /// <inheritdoc />
    public IEnumerable<QueueId> GetAllQueues() => _queues;

    /// <inheritdoc />
    public IEnumerable<QueueId> GetQueuesForRange(IRingRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return _queues.Where(queue => range.InRange(queue.GetUniformHashCode()));
    }

    /// <inheritdoc />
    public QueueId GetQueueForStream(StreamId streamId)
    {
        var streamNamespace = streamId.GetNamespace() ?? string.Empty;
        var hash = StableHash(streamId.Key.Span);
        if (_byNamespace.TryGetValue(streamNamespace, out var topic))
        {
            return _queues[topic.FirstQueue + (int)(hash % (uint)topic.Partitions)];
        }
        return _queues[hash % (uint)_queues.Length];
    }

    /// <summary>The partition a stream's events are produced to, so one stream stays on one partition.</summary>
    public int PartitionOf(StreamId streamId) => (int)GetQueueForStream(streamId).GetNumericId();

    /// <summary>The topic-partition a queue stands for.</summary>
    public static (string Topic, int Partition) TopicPartitionOf(QueueId queueId) =>
        (queueId.GetStringNamePrefix(), (int)queueId.GetNumericId());

    /// <summary>The partition count of a stream namespace's topic, or 0 when not mapped.</summary>
    public int PartitionCount(string streamNamespace) =>
        _byNamespace.TryGetValue(streamNamespace, out var topic) ? topic.Partitions : 0;

    // FNV-1a: stable across processes and .NET versions (string.GetHashCode is not).
    private static uint StableHash(ReadOnlySpan<byte> key)
    {
        var hash = 2166136261u;
        foreach (var b in key)
        {
            hash = (hash ^ b) * 16777619u;
        }
        return hash;
    }

    /// <summary>The UTF-8 bytes of a stream key, as Kafka record keys carry them.</summary>
    public static byte[] KeyBytes(StreamId streamId) => streamId.Key.ToArray();

    internal static string KeyText(StreamId streamId) => Encoding.UTF8.GetString(streamId.Key.Span);
}
