using Confluent.Kafka;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// Where a consumer assigned at the group's stored offset starts reading, as Kafka decides it: at the
/// committed offset while that lies within the partition, otherwise where the offset reset policy points
/// (the low watermark for earliest, the high watermark for latest).
/// </summary>
public static class PartitionStart
{
    /// <summary>The first offset read, or -1 when it cannot be known (no usable offset and the policy is error).</summary>
    public static long Of(long committed, long lowWatermark, long highWatermark, AutoOffsetReset whenNoCommittedOffset)
    {
        if (committed >= 0 && committed >= lowWatermark && committed <= highWatermark)
        {
            return committed;
        }
        return whenNoCommittedOffset switch
        {
            AutoOffsetReset.Earliest => lowWatermark,
            AutoOffsetReset.Latest => highWatermark,
            _ => -1,
        };
    }
}
