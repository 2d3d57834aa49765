using Confluent.Kafka;
using DataPlatform.Streaming.Kafka.Providers;

namespace DataPlatform.UnitTests.Kafka;

public sealed class PartitionStartTests
{
    [Theory]
    [InlineData(120, AutoOffsetReset.Earliest, 120)]   // committed inside the partition: reading resumes there
    [InlineData(500, AutoOffsetReset.Latest, 500)]     // committed at the end: nothing to read
    [InlineData(-1, AutoOffsetReset.Earliest, 100)]    // none committed: the reset policy decides
    [InlineData(-1, AutoOffsetReset.Latest, 500)]
    [InlineData(40, AutoOffsetReset.Earliest, 100)]    // committed records were dropped: Kafka resets
    [InlineData(900, AutoOffsetReset.Latest, 500)]     // committed past the end (partition truncated): Kafka resets
    [InlineData(-1, AutoOffsetReset.Error, -1)]
    public void Reading_starts_at_the_committed_offset_while_it_is_within_the_partition(long committed, AutoOffsetReset policy, long expected) =>
        Assert.Equal(expected, PartitionStart.Of(committed, lowWatermark: 100, highWatermark: 500, policy));
}
