using DataPlatform.Streaming.Kafka;
using DataPlatform.Streaming.Kafka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace DataPlatform.UnitTests.Kafka;

public sealed class PollIntervalTests
{
    [Fact]
    public void The_provider_s_poll_interval_is_its_pulling_agents_wait_after_an_empty_poll()
    {
        using var host = new HostBuilder()
            .UseOrleans(silo => silo
                .UseLocalhostClustering()
                .AddKafkaStreams("events", options =>
                {
                    options.BootstrapServers = "127.0.0.1:9092";
                    options.ConsumerGroup = "grid";
                    options.Topics.Add(KafkaTopicOptions.Map("topic_a", "a"));
                    options.PollInterval = TimeSpan.FromMilliseconds(40);
                })
                .AddKafkaStreams("other", options => options.BootstrapServers = "127.0.0.1:9092"))
            .Build();

        var agents = host.Services.GetRequiredService<IOptionsMonitor<StreamPullingAgentOptions>>();

        Assert.Equal(TimeSpan.FromMilliseconds(40), agents.Get("events").GetQueueMsgsTimerPeriod);
        Assert.Equal(KafkaStreamOptions.DefaultPollInterval, agents.Get("other").GetQueueMsgsTimerPeriod);
    }
}
