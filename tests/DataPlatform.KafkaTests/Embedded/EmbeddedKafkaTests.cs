using Confluent.Kafka;
using DataPlatform.EmbeddedKafka;

namespace DataPlatform.KafkaTests.Embedded;

public sealed class EmbeddedKafkaTests
{
    [Fact]
    public async Task A_cluster_on_random_ports_creates_topics_and_serves_the_wire_protocol()
    {
        await using var kafka = EmbeddedKafka.EmbeddedKafka.Start(new EmbeddedKafkaOptions { Brokers = 2, Topics = { ["orders"] = 3 } });
        kafka.CreateTopic("payments", 5);

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        Assert.Equal(2, metadata.Brokers.Count);
        Assert.Equal(3, metadata.Topics.Single(t => t.Topic == "orders").Partitions.Count);
        Assert.Equal(5, metadata.Topics.Single(t => t.Topic == "payments").Partitions.Count);

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build())
        {
            for (var i = 0; i < 30; i++)
            {
                await producer.ProduceAsync("orders", new Message<string, string> { Key = $"k{i % 7}", Value = $"v{i}" });
            }
        }
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            GroupId = "embedded-test",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("orders");
        var values = new HashSet<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (values.Count < 30 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                values.Add(result.Message.Value);
            }
        }
        Assert.Equal(30, values.Count);
    }

    [Fact]
    public async Task A_fixed_port_is_the_advertised_address()
    {
        var port = FreePorts.Next();
        await using var kafka = EmbeddedKafka.EmbeddedKafka.Start(new EmbeddedKafkaOptions { Port = port, Topics = { ["fixed"] = 2 } });

        Assert.Equal($"127.0.0.1:{port}", kafka.BootstrapServers);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var broker = Assert.Single(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
        Assert.Equal(port, broker.Port);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers }).Build();
        var delivered = await producer.ProduceAsync("fixed", new Message<Null, string> { Value = "through the forwarder" });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public async Task A_broker_that_is_down_refuses_work_until_it_is_up_again()
    {
        await using var kafka = EmbeddedKafka.EmbeddedKafka.Start(new EmbeddedKafkaOptions { Topics = { ["outage"] = 1 } });
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = kafka.BootstrapServers,
            MessageTimeoutMs = 30_000,
        }).Build();
        await producer.ProduceAsync("outage", new Message<Null, string> { Value = "before" });

        kafka.SetBrokerDown(1);
        var during = producer.ProduceAsync("outage", new Message<Null, string> { Value = "during" });
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(during.IsCompleted);

        kafka.SetBrokerUp(1);
        var delivered = await during.WaitAsync(TimeSpan.FromSeconds(25));
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        Assert.Equal(1, delivered.Offset.Value);
    }
}
