using Orleans;

namespace DataPlatform.Streaming.Kafka;

/// <summary>
/// Replays a topic (or one partition) from an offset or from a point in time. Sent to every silo with
/// <c>IManagementGrain.SendControlCommandToProvider&lt;PersistentStreamProvider&gt;(name, KafkaStreamCommands.Rewind, request)</c>;
/// each silo rewinds the partitions it owns. Consumers see the replayed events again (de-duplicate them).
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.kafka.KafkaRewindRequest")]
public sealed record KafkaRewindRequest
{
    /// <summary>The Kafka topic.</summary>
    [Id(0)] public required string Topic { get; init; }

    /// <summary>One partition, or all partitions of the topic when null.</summary>
    [Id(1)] public int? Partition { get; init; }

    /// <summary>The offset to restart at (used when <see cref="FromTime"/> is null).</summary>
    [Id(2)] public long Offset { get; init; }

    /// <summary>Restart at the first record at or after this time.</summary>
    [Id(3)] public DateTimeOffset? FromTime { get; init; }
}

/// <summary>Control commands understood by the Kafka stream provider.</summary>
public static class KafkaStreamCommands
{
    /// <summary>Argument: <see cref="KafkaRewindRequest"/>. Answer: the number of partitions rewound on that silo.</summary>
    public const int Rewind = 10_001;
}
