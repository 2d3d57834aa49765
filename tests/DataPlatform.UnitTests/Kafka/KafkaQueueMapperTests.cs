using DataPlatform.Streaming.Kafka.Providers;
using Orleans.Runtime;

namespace DataPlatform.UnitTests.Kafka;

public sealed class KafkaQueueMapperTests
{
    private readonly KafkaQueueMapper _mapper = new([("app_events", "topic_app_events", 8), ("clickstream", "topic_clickstream", 4)]);

    [Fact]
    public void There_is_one_queue_per_topic_partition()
    {
        var queues = _mapper.GetAllQueues().Select(KafkaQueueMapper.TopicPartitionOf).ToList();

        Assert.Equal(12, queues.Count);
        Assert.Equal(Enumerable.Range(0, 8), queues.Where(q => q.Topic == "topic_app_events").Select(q => q.Partition));
        Assert.Equal(Enumerable.Range(0, 4), queues.Where(q => q.Topic == "topic_clickstream").Select(q => q.Partition));
        Assert.Equal(12, _mapper.GetAllQueues().Select(q => q.GetUniformHashCode()).Distinct().Count());
    }

    [Fact]
    public void A_stream_always_maps_to_one_partition_of_its_own_topic()
    {
        for (var i = 0; i < 200; i++)
        {
            var stream = StreamId.Create("clickstream", $"user_{i}");
            var (topic, partition) = KafkaQueueMapper.TopicPartitionOf(_mapper.GetQueueForStream(stream));

            Assert.Equal("topic_clickstream", topic);
            Assert.InRange(partition, 0, 3);
            Assert.Equal(partition, _mapper.PartitionOf(stream));
            Assert.Equal(partition, new KafkaQueueMapper([("clickstream", "topic_clickstream", 4)]).PartitionOf(stream));
        }
    }

    [Fact]
    public void Streams_spread_over_the_partitions()
    {
        var used = Enumerable.Range(0, 400)
            .Select(i => _mapper.PartitionOf(StreamId.Create("app_events", $"user_{i}")))
            .Distinct()
            .Count();

        Assert.Equal(8, used);
    }
}
