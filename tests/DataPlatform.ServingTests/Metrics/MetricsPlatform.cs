using Confluent.Kafka;
using DataPlatform.Contracts.Events;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Metrics;

/// <summary>The running platform of the metrics tests: their own, since they write a dead letter that the shared one must never see.</summary>
public sealed class MetricsPlatform : RunningPlatform
{
    /// <summary>The key of the record <see cref="WriteNotJsonAsync"/> writes.</summary>
    public const string NotJsonKey = "metrics-not-json";

    /// <summary>Writes one record that is not JSON to topic_app_events: the edge refuses it as <c>not_json</c>.</summary>
    public async Task WriteNotJsonAsync()
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Services.GetRequiredService<EmbeddedKafka.EmbeddedKafka>().BootstrapServers,
        }).Build();
        await producer.ProduceAsync(Topics.AppEvents, new Message<string, string> { Key = NotJsonKey, Value = "this is not JSON" });
    }
}
