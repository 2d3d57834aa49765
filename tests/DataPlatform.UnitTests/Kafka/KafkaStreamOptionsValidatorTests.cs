using DataPlatform.Streaming.Kafka;
using Orleans.Runtime;

namespace DataPlatform.UnitTests.Kafka;

public sealed class KafkaStreamOptionsValidatorTests
{
    private static KafkaStreamOptions Valid()
    {
        var options = new KafkaStreamOptions { BootstrapServers = "127.0.0.1:9092", ConsumerGroup = "grid" };
        options.Topics.Add(KafkaTopicOptions.Map("topic_a", "a"));
        return options;
    }

    [Fact]
    public void Valid_options_pass() => new KafkaStreamOptionsValidator(Valid(), "kafka", consumes: true).ValidateConfiguration();

    [Fact]
    public void Each_missing_setting_is_named()
    {
        var options = new KafkaStreamOptions { PollBatchSize = 0, PollInterval = TimeSpan.Zero };

        var problems = new KafkaStreamOptionsValidator(options, "kafka", consumes: true).Problems().ToList();

        Assert.Contains(problems, p => p.Contains("BootstrapServers", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Topics", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ConsumerGroup", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("PollBatchSize", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("PollInterval", StringComparison.Ordinal));
        var error = Assert.Throws<OrleansConfigurationException>(() => new KafkaStreamOptionsValidator(options, "kafka", consumes: true).ValidateConfiguration());
        Assert.Contains("'kafka'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_publishing_client_needs_no_consumer_group()
    {
        var options = Valid();
        options.ConsumerGroup = string.Empty;

        Assert.Empty(new KafkaStreamOptionsValidator(options, "kafka", consumes: false).Problems());
        options.ProducerOnly = true;
        Assert.Empty(new KafkaStreamOptionsValidator(options, "kafka", consumes: true).Problems());
    }

    [Fact]
    public void A_namespace_cannot_map_to_two_topics()
    {
        var options = Valid();
        options.Topics.Add(KafkaTopicOptions.Map("topic_b", "a"));

        Assert.Contains(new KafkaStreamOptionsValidator(options, "kafka", consumes: true).Problems(),
            p => p.Contains("'a'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_topic_without_a_namespace_uses_its_name()
    {
        var topic = new KafkaTopicOptions { Name = "orders" };

        Assert.Equal("orders", topic.EffectiveNamespace);
        Assert.Equal("o", KafkaTopicOptions.Map("orders", "o").EffectiveNamespace);
    }
}
