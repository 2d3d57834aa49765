using DataPlatform.EmbeddedKafka;
using DataPlatform.Streaming.Kafka;

namespace DataPlatform.Silo.Hosting;

/// <summary>Where events come from (configuration section "Kafka").</summary>
public sealed class KafkaHostingOptions
{
    public const string SectionName = "Kafka";

    /// <summary>A real cluster's bootstrap servers; when empty the silo starts an embedded Kafka.</summary>
    public string? BootstrapServers { get; set; }

    public string ConsumerGroup { get; set; } = "dataplatform";

    /// <summary>Port of the embedded Kafka (0 = random); used only when no bootstrap servers are configured.</summary>
    public int EmbeddedPort { get; set; } = EmbeddedKafkaOptions.DefaultPort;

    /// <summary>Partitions of each topic the embedded Kafka creates.</summary>
    public int Partitions { get; set; } = 8;

    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a partition's reader waits after finding no new record before it asks Kafka again.</summary>
    public TimeSpan PollInterval { get; set; } = KafkaStreamOptions.DefaultPollInterval;

    /// <summary>Records a partition's reader takes from Kafka in one poll: one delivery to the partition router.</summary>
    public int PollBatchSize { get; set; } = KafkaStreamOptions.DefaultPollBatchSize;

    /// <summary>Records of a partition read ahead of their delivery; a checkpoint waits until they are delivered.</summary>
    public int ReadAheadRecords { get; set; } = KafkaStreamOptions.DefaultReadAheadRecords;

    /// <summary>Confluent.Kafka settings passed through as they are (security.protocol, sasl.*, ssl.*, ...).</summary>
    public Dictionary<string, string> ClientSettings { get; set; } = new(StringComparer.Ordinal);
}
