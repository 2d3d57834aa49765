using System.Diagnostics;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;
using DataPlatform.Simulator.Running;

namespace DataPlatform.Benchmarks.Latency;

/// <summary>
/// The simulator's records (all five topics, no malformed ones) produced at a steady rate: every 10 ms the
/// records due by then are handed to the producer, with event times that advance at the same rate.
/// </summary>
public static class SteadyLoad
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    /// <summary>Produces at <paramref name="rate"/> records/s for <paramref name="duration"/>; the records produced.</summary>
    public static async Task<long> ProduceAsync(
        string bootstrapServers, double rate, int users, string runId, TimeSpan duration, ProducedRecords produced)
    {
        ArgumentNullException.ThrowIfNull(produced);
        var options = new SimulatorOptions { Users = users, Rate = rate, MalformedFraction = 0 };
        var generator = new EventGenerator(options, DateTimeOffset.UtcNow, runId);
        await using var sink = new KafkaRecordSink(bootstrapServers);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        while (clock.Elapsed < duration)
        {
            var due = (long)(clock.Elapsed.TotalSeconds * rate);
            for (; sent < due; sent++)
            {
                var record = generator.Next();
                await sink.SendAsync(record, CancellationToken.None);
                produced.Add(record);
            }
            await Task.Delay(Tick);
        }
        await sink.FlushAsync(CancellationToken.None);
        if (sink.Failed > 0)
        {
            throw new InvalidOperationException($"{sink.Failed} of {sent} records were not delivered to Kafka: {sink.LastError}");
        }
        return sent;
    }
}
