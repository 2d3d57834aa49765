using Confluent.Kafka;

namespace DataPlatform.Streaming.Kafka;

/// <summary>Options of one Kafka stream provider (named options, one set per provider name).</summary>
public sealed class KafkaStreamOptions
{
    /// <summary>Records fetched per queue per poll of the pulling agent.</summary>
    public const int DefaultPollBatchSize = 250;

    /// <summary>Records of a partition that may be read ahead of their delivery.</summary>
    public const int DefaultReadAheadRecords = 500;

    /// <summary>How long a queue's pulling agent waits after a poll that found no record (Orleans' default is 100 ms).</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(25);

    /// <summary>How often delivered offsets are committed to Kafka.</summary>
    public static readonly TimeSpan DefaultCommitInterval = TimeSpan.FromSeconds(5);

    /// <summary>Kafka bootstrap servers, e.g. "127.0.0.1:19092". Required.</summary>
    public string BootstrapServers { get; set; } = string.Empty;

    /// <summary>The consumer group whose committed offsets the receivers start from. Required for consuming.</summary>
    public string ConsumerGroup { get; set; } = string.Empty;

    /// <summary>The topics this provider reads and writes, each with the stream namespace it maps to.</summary>
    public IList<KafkaTopicOptions> Topics { get; } = [];

    /// <summary>Maximum records returned by one <c>GetQueueMessagesAsync</c> call of a queue.</summary>
    public int PollBatchSize { get; set; } = DefaultPollBatchSize;

    /// <summary>
    /// How many records of a partition may be read and not yet delivered; the pulling agent reads no more
    /// until deliveries catch up. More keeps a partition's deliveries fed; fewer shortens a checkpoint, which
    /// waits until everything read is delivered, and keeps memory bounded.
    /// </summary>
    public int ReadAheadRecords { get; set; } = DefaultReadAheadRecords;

    /// <summary>
    /// How long a queue's pulling agent waits after a poll that found no record; while records keep coming it
    /// polls again at once. The wait is the delay a record arriving at an idle partition sees before it is read.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = DefaultPollInterval;

    /// <summary>Delivered offsets are committed at most this often (and when a queue is released).</summary>
    public TimeSpan CommitInterval { get; set; } = DefaultCommitInterval;

    /// <summary>Where a partition without a committed offset starts.</summary>
    public AutoOffsetReset StartWhenNoCommittedOffset { get; set; } = AutoOffsetReset.Earliest;

    /// <summary>Publish only: start no consumers even on a silo.</summary>
    public bool ProducerOnly { get; set; }

    /// <summary>How long start-up waits for the cluster's metadata (topics and their partitions).</summary>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Settings passed to Confluent.Kafka clients as they are (security.protocol, sasl.*, ssl.*,
    /// compression.type, socket timeouts, ...). They override the provider's own defaults.
    /// </summary>
    public IDictionary<string, string> ClientSettings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The configured topic of a stream namespace, or null.</summary>
    public KafkaTopicOptions? TopicOfNamespace(string streamNamespace) =>
        Topics.FirstOrDefault(topic => string.Equals(topic.EffectiveNamespace, streamNamespace, StringComparison.Ordinal));

    /// <summary>The configured topic of a Kafka topic name, or null.</summary>
    public KafkaTopicOptions? TopicNamed(string name) =>
        Topics.FirstOrDefault(topic => string.Equals(topic.Name, name, StringComparison.Ordinal));
}

/// <summary>A Kafka topic and the Orleans stream namespace its records are delivered on.</summary>
public sealed class KafkaTopicOptions
{
    /// <summary>The Kafka topic name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>The stream namespace; the topic name when empty.</summary>
    public string StreamNamespace { get; set; } = string.Empty;

    /// <summary>The namespace records of this topic are delivered on.</summary>
    public string EffectiveNamespace => string.IsNullOrEmpty(StreamNamespace) ? Name : StreamNamespace;

    /// <summary>A topic mapped to a namespace.</summary>
    public static KafkaTopicOptions Map(string name, string? streamNamespace = null) =>
        new() { Name = name, StreamNamespace = string.IsNullOrEmpty(streamNamespace) ? name : streamNamespace };
}
