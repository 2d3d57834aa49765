using System.Diagnostics;
using System.Text.Json;
using DataPlatform.Benchmarks.Ingest;
using Microsoft.AspNetCore.SignalR.Client;

namespace DataPlatform.Benchmarks.Latency;

/// <summary>
/// How soon what a user does shows: one silo in the embedded default (memory storage) reads a standalone
/// embedded Kafka while the simulator's records are produced into it at a steady rate, one phase per rate,
/// and <see cref="LatencyProbes"/> time probe events to GET /users/{id} and to the SignalR <c>kpis</c> push.
/// Between phases the grid catches up (every event counted, lag 0), and how long that took after the phase's
/// last record is reported: a rate the grid cannot keep up with shows there and in growing latencies. At the
/// end the KPIs, bronze and silver must count every record produced, as in the ingest benchmark.
/// </summary>
public static class LatencyBenchmark
{
    private static readonly TimeSpan RestTimeout = TimeSpan.FromSeconds(30);

    public static async Task<(Dictionary<string, object> Figures, IReadOnlyList<string> Failures)> RunAsync(
        IReadOnlyList<double> rates, TimeSpan phase, int users, int partitions, TimeSpan timeout, IReadOnlyList<string>? siloSettings = null)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var directory = Directory.CreateTempSubdirectory("dp-bench-latency-").FullName;
        var (kafka, bootstrapServers) = await StandaloneKafka.StartAsync(directory, partitions);
        await using var _ = kafka;
        var siloDirectory = Path.Combine(directory, "silo");
        Directory.CreateDirectory(siloDirectory);
        await using var silo = await BenchmarkSilo.StartAsync(siloDirectory, siloSettings ?? [], bootstrapServers, $"dp-bench-latency-{Guid.NewGuid():N}");

        var produced = new ProducedRecords();
        await using var probes = new LatencyProbes(bootstrapServers, silo.Http, produced);
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(silo.BaseAddress, "/hubs/kpis")).Build();
        var firstPush = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<JsonElement>("kpis", snapshot =>
        {
            probes.OnKpis(SiloKpis.Of(snapshot).TotalEvents);
            firstPush.TrySetResult();
        });
        await hub.StartAsync();
        await firstPush.Task.WaitAsync(TimeSpan.FromMinutes(1));

        var phases = new List<Dictionary<string, object>>();
        for (var index = 0; index < rates.Count; index++)
        {
            phases.Add(await PhaseAsync(silo, kafka, bootstrapServers, rates[index], $"latency{index}", phase, users, produced, probes, timeout));
        }

        // Untimed: the checkpoint after the last record commits its lake rows; then every count must match.
        var expected = produced.Expected();
        var kpis = await silo.KpisAsync(Stopwatch.StartNew(), timeout);
        await GridRun.CheckpointAfterAsync(silo, DateTimeOffset.UtcNow);
        var failures = await GridRun.LakeMismatchesAsync(silo, expected);
        if (kpis.MismatchWith(expected.UserEvents) is { } mismatch)
        {
            failures.Insert(0, mismatch);
        }
        var figures = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["benchmark"] = "latency",
            ["users"] = users,
            ["partitions_per_topic"] = partitions,
            ["phase_seconds"] = phase.TotalSeconds,
            ["records"] = expected.Records,
            ["user_events"] = expected.UserEvents,
            ["phases"] = phases,
            ["mismatches"] = failures,
        };
        if (failures.Count == 0)
        {
            Directory.Delete(directory, recursive: true);
        }
        return (figures, failures);
    }

    private static async Task<Dictionary<string, object>> PhaseAsync(
        BenchmarkSilo silo, ChildProgram kafka, string bootstrapServers, double rate, string runId, TimeSpan phase, int users,
        ProducedRecords produced, LatencyProbes probes, TimeSpan timeout)
    {
        await Console.Error.WriteLineAsync($"{rate} records/s for {phase.TotalSeconds:0} s ...");
        var loadBefore = MachineLoad.Now();
        var (siloCpu, kafkaCpu) = (silo.Process.CpuTime, kafka.CpuTime);
        var clock = Stopwatch.StartNew();
        var load = SteadyLoad.ProduceAsync(bootstrapServers, rate, users, runId, phase, produced);
        await probes.RunAsync(phase, RestTimeout);
        var records = await load;
        var producing = clock.Elapsed;
        var (siloCpuSeconds, kafkaCpuSeconds) = ((silo.Process.CpuTime - siloCpu).TotalSeconds, (kafka.CpuTime - kafkaCpu).TotalSeconds);

        var expected = produced.UserEvents;
        var caughtUp = Stopwatch.StartNew();
        await silo.WaitUntilCountedAsync(expected, caughtUp, timeout);
        var catchUpSeconds = caughtUp.Elapsed.TotalSeconds;
        // The push that counts the last probes follows the KPI grain's answer within a push interval.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var (kpiLatency, userLatency) = probes.TakePhase();
        await Console.Error.WriteLineAsync(
            $"{records / producing.TotalSeconds:0} records/s produced; kpis p50 {kpiLatency.P50:0} ms p99 {kpiLatency.P99:0} ms; users p50 {userLatency.P50:0} ms p99 {userLatency.P99:0} ms; caught up {catchUpSeconds:0.0} s after");
        return new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["rate_asked"] = rate,
            ["records_per_second"] = Math.Round(records / producing.TotalSeconds),
            ["cores_busy"] = Math.Round(siloCpuSeconds / producing.TotalSeconds, 2),
            ["kafka_cores_busy"] = Math.Round(kafkaCpuSeconds / producing.TotalSeconds, 2),
            ["load_average_before"] = loadBefore,
            ["kpis"] = kpiLatency.ToJson(),
            ["users"] = userLatency.ToJson(),
            ["catch_up_seconds"] = Math.Round(catchUpSeconds, 1),
        };
    }
}
