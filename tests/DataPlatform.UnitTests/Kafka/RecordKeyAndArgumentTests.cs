using DataPlatform.Contracts.Events;
using DataPlatform.EmbeddedKafka;

namespace DataPlatform.UnitTests.Kafka;

public sealed class RecordKeyAndArgumentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Record_keys_follow_the_contract()
    {
        Assert.Equal("u1", RecordKeys.KeyOf(new AppEvent { EventId = "e", UserId = "u1", EventType = "x", AppType = "ios", Timestamp = Now }));
        Assert.Equal("weather:berlin", RecordKeys.KeyOf(new ExternalEvent { Source = "weather", Key = "berlin", Timestamp = Now }));
        Assert.Equal("o-1", RecordKeys.KeyOf(new CdcChange
        {
            Op = "c",
            Source = new CdcSource { Table = "orders" },
            TsMs = 0,
            After = new Dictionary<string, string?> { ["order_id"] = "o-1" },
        }));
        Assert.Equal("p-9", RecordKeys.KeyOf(new CdcChange
        {
            Op = "d",
            Source = new CdcSource { Table = "products" },
            TsMs = 0,
            Before = new Dictionary<string, string?> { ["product_id"] = "p-9" },
        }));
    }

    [Theory]
    [InlineData("events", "events", 8)]
    [InlineData("events:3", "events", 3)]
    public void Topic_arguments_parse(string text, string topic, int partitions)
    {
        Assert.True(TopicArgument.TryParse(text, out var name, out var count));
        Assert.Equal(topic, name);
        Assert.Equal(partitions, count);
    }

    [Theory]
    [InlineData("")]
    [InlineData(":4")]
    [InlineData("events:0")]
    [InlineData("events:many")]
    public void Bad_topic_arguments_are_refused(string text) => Assert.False(TopicArgument.TryParse(text, out _, out _));
}
