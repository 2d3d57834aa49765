using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Serialization;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;
using DataPlatform.Simulator.Running;

namespace DataPlatform.Benchmarks.Ingest;

/// <summary>
/// The simulator's records, produced into Kafka before any clock starts, and what the grid must count once
/// it has taken them all in: each user event once (duplicates sent twice count once), each record in bronze.
/// </summary>
/// <param name="Records">Records in Kafka, all five topics.</param>
/// <param name="UserEvents">Distinct app and clickstream events: the KPI grain's total events once every record is in.</param>
/// <param name="AppEvents">Distinct app events: the rows of silver.app_events.</param>
/// <param name="Clicks">Distinct clickstream events: the rows of silver.clickstream.</param>
/// <param name="PerTopic">Records per topic: the rows of each bronze table.</param>
/// <param name="ProduceSeconds">How long producing them took (lz4, acks=all, idempotent, as the simulator produces).</param>
public sealed record PreloadedRecords(
    int Records, long UserEvents, long AppEvents, long Clicks, IReadOnlyDictionary<string, long> PerTopic, double ProduceSeconds)
{
    /// <summary>
    /// Generates <paramref name="records"/> records of <paramref name="users"/> users with the simulator's defaults
    /// (event time ending about a minute ago, no malformed records), produces them and checks that Kafka holds every one.
    /// </summary>
    public static async Task<PreloadedRecords> ProduceAsync(string bootstrapServers, int records, int users)
    {
        var options = new SimulatorOptions { Users = users, MalformedFraction = 0 };
        var start = DateTimeOffset.UtcNow.AddSeconds(-(records / options.Rate) - 60);
        return await ProduceAsync(bootstrapServers, [.. new EventGenerator(options, start).Take(records)]);
    }

    /// <summary>
    /// One app event for each of <paramref name="users"/> users nobody saw before (event time spread over the hour
    /// ending a minute ago), produced and checked like the simulator's records.
    /// </summary>
    public static async Task<PreloadedRecords> ProduceDistinctUsersAsync(string bootstrapServers, int users)
    {
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        var records = Enumerable.Range(0, users).Select(user =>
        {
            var appEvent = new AppEvent
            {
                EventId = $"bench-memory-{user}",
                UserId = $"bench-user-{user}",
                EventType = "page_view",
                AppType = "web",
                Timestamp = end.AddMilliseconds(-3_600_000.0 * (users - user) / users),
            };
            return new SimulatedRecord(Topics.AppEvents, appEvent.UserId, JsonSerializer.SerializeToUtf8Bytes(appEvent, EventJsonContext.Default.AppEvent), appEvent);
        });
        return await ProduceAsync(bootstrapServers, [.. records]);
    }

    private static async Task<PreloadedRecords> ProduceAsync(string bootstrapServers, List<SimulatedRecord> generated)
    {
        var records = generated.Count;
        var userEvents = generated.Where(record => !record.IsMalformed && record.Event is AppEvent or ClickstreamEvent)
            .DistinctBy(record => EventIdOf(record.Event!)).ToList();

        var watch = Stopwatch.StartNew();
        await using (var sink = new KafkaRecordSink(bootstrapServers))
        {
            foreach (var record in generated)
            {
                await sink.SendAsync(record, CancellationToken.None);
            }
            await sink.FlushAsync(CancellationToken.None);
            if (sink.Delivered != records)
            {
                throw new InvalidOperationException($"{sink.Delivered} of {records} records were delivered to Kafka ({sink.Failed} failed: {sink.LastError}).");
            }
        }
        var produceSeconds = watch.Elapsed.TotalSeconds;
        var perTopic = Topics.All.ToDictionary(topic => topic, topic => (long)generated.Count(record => record.Topic == topic), StringComparer.Ordinal);
        EnsureKafkaHoldsEvery(bootstrapServers, perTopic);
        return new PreloadedRecords(records, userEvents.Count, userEvents.Count(record => record.Event is AppEvent),
            userEvents.Count(record => record.Event is ClickstreamEvent), perTopic, produceSeconds);
    }

    /// <summary>Every partition of the five topics, as Kafka reports them.</summary>
    public static List<TopicPartition> PartitionsIn(string bootstrapServers)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        return [.. admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics
            .Where(topic => Topics.All.Contains(topic.Topic))
            .SelectMany(topic => topic.Partitions.Select(partition => new TopicPartition(topic.Topic, partition.PartitionId)))];
    }

    // The embedded Kafka drops a partition's oldest records silently beyond about 5 MiB: a low watermark above 0
    // means records are gone, and the run would measure fewer records than it reports.
    private static void EnsureKafkaHoldsEvery(string bootstrapServers, Dictionary<string, long> perTopic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "dp-bench-watermarks" }).Build();
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var partition in PartitionsIn(bootstrapServers))
        {
            var marks = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10));
            if (marks.Low > 0)
            {
                throw new InvalidOperationException($"Kafka dropped the first {marks.Low.Value} records of {partition} (retention): use more partitions (--partitions) or fewer records.");
            }
            held[partition.Topic] = held.GetValueOrDefault(partition.Topic) + marks.High.Value;
        }
        foreach (var (topic, produced) in perTopic)
        {
            if (held.GetValueOrDefault(topic) != produced)
            {
                throw new InvalidOperationException($"Kafka holds {held.GetValueOrDefault(topic)} records of {topic}, {produced} were produced.");
            }
        }
    }

    private static string EventIdOf(object userEvent) => userEvent switch
    {
        AppEvent e => e.EventId,
        ClickstreamEvent e => e.EventId,
        _ => throw new ArgumentException("not a user event", nameof(userEvent)),
    };
}
