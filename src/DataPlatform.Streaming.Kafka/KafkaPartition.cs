using System.Globalization;

namespace DataPlatform.Streaming.Kafka;

/// <summary>A topic-partition, written <c>topic-partition</c> like Kafka's own tools do.</summary>
[GenerateSerializer, Immutable, Alias("dp.kafka.KafkaPartition")]
public readonly record struct KafkaPartition([property: Id(0)] string Topic, [property: Id(1)] int Partition)
{
    /// <inheritdoc />
    public override string ToString() => $"{Topic}-{Partition.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads the <c>topic-partition</c> form back.</summary>
    public static bool TryParse(string text, out KafkaPartition partition)
    {
        ArgumentNullException.ThrowIfNull(text);
        var dash = text.LastIndexOf('-');
        if (dash > 0 && int.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            partition = new KafkaPartition(text[..dash], number);
            return true;
        }
        partition = default;
        return false;
    }
}
