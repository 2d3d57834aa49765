using DataPlatform.Streaming.Kafka;

namespace DataPlatform.Grains.Ingestion;

/// <summary>
/// The records of one stream delivery that are about one grain, in the order they were read, with the
/// Kafka position of each (null off Kafka) and the reading generation of the delivery (null off Kafka): a
/// grain applies them unless the generation is stale (<see cref="Checkpoints.CheckpointProgress.ApplyUnlessStaleAsync"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.RoutedRecords`1")]
public sealed class RoutedRecords<T>(IReadOnlyList<T> records, IReadOnlyList<KafkaSourcePosition?> positions, long? readingGeneration)
    where T : notnull
{
    [Id(0)] public IReadOnlyList<T> Records { get; } = records;

    [Id(1)] public IReadOnlyList<KafkaSourcePosition?> Positions { get; } = positions;

    [Id(2)] public long? ReadingGeneration { get; } = readingGeneration;

    public int Count => Records.Count;
}
