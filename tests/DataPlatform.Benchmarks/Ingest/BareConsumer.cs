using System.Diagnostics;
using System.Text.Json;
using Confluent.Kafka;

namespace DataPlatform.Benchmarks.Ingest;

/// <summary>
/// The machine's own limit for the grid: one Confluent.Kafka consumer on one thread reads every record of the
/// five topics from the start and parses each value as JSON, nothing more (no grain, no lake, no checkpoint).
/// </summary>
public static class BareConsumer
{
    /// <summary>How long a read may wait for the next record before the run fails.</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Reads and parses <paramref name="records"/> records; <paramref name="kafka"/> is measured for its CPU time.</summary>
    public static Task<IngestFigures> RunAsync(string bootstrapServers, int records, ChildProgram kafka) => Task.Run(() =>
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"dp-bench-bare-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnablePartitionEof = false,
        };
        using var consumer = new ConsumerBuilder<byte[]?, byte[]>(config).SetLogHandler((_, _) => { }).Build();
        var load = MachineLoad.Now();
        var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var kafkaCpu = kafka.CpuTime;
        var watch = Stopwatch.StartNew();
        consumer.Assign(PreloadedRecords.PartitionsIn(bootstrapServers).Select(partition => new TopicPartitionOffset(partition, Offset.Beginning)));
        var objects = 0L;
        for (var read = 0; read < records; read++)
        {
            var result = consumer.Consume(ReadTimeout)
                ?? throw new TimeoutException($"the bare consumer waited {ReadTimeout.TotalSeconds:0} s for a record after {read} of {records}");
            using var document = JsonDocument.Parse(result.Message.Value);
            objects += document.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
        }
        watch.Stop();
        if (objects != records)
        {
            throw new InvalidOperationException($"{records - objects} of {records} records are not JSON objects.");
        }
        return new IngestFigures(records, watch.Elapsed.TotalSeconds,
            (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds, (kafka.CpuTime - kafkaCpu).TotalSeconds, load, MachineLoad.Now());
    });
}
