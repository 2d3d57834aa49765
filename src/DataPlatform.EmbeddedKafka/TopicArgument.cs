using System.Globalization;

namespace DataPlatform.EmbeddedKafka;

/// <summary>Parses "name" or "name:partitions" (default 8 partitions).</summary>
public static class TopicArgument
{
    public const int DefaultPartitions = 8;

    public static bool TryParse(string text, out string topic, out int partitions)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        topic = colon < 0 ? text : text[..colon];
        partitions = DefaultPartitions;
        return topic.Length > 0
            && (colon < 0 || (int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out partitions) && partitions > 0));
    }
}
