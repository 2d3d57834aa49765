using System.Diagnostics;
using System.Text.Json;
using DataPlatform.Benchmarks.Latency;
using Npgsql;

namespace DataPlatform.Benchmarks;

/// <summary>
/// Every scenario once, at sizes that together take about ten minutes on the development machine, then
/// <see cref="BenchmarkReport"/> rewrites the latest-run section of docs/benchmarks.md with the figures.
/// The checkpoint scenario and the durable ingest need the PostgreSQL server of <c>server</c>; without one they
/// are reported as skipped. The run fails when any scenario counted differently from what it produced.
/// </summary>
public static class AllBenchmarks
{
    public static async Task<(Dictionary<string, object> Figures, IReadOnlyList<string> Failures)> RunAsync(string server, string? reportPath)
    {
        var clock = Stopwatch.StartNew();
        var figures = new Dictionary<string, object>(StringComparer.Ordinal);
        var failures = new List<string>();
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var postgresMissing = await WhyUnreachableAsync(server);

        async Task Run(string name, Func<Task<(object Figures, IReadOnlyList<string> Failures)>> scenario)
        {
            await Console.Error.WriteLineAsync($"== {name}");
            var watch = Stopwatch.StartNew();
            var (result, failed) = await scenario();
            figures[name] = result;
            failures.AddRange(failed.Select(failure => $"{name}: {failure}"));
            seconds[name] = Math.Round(watch.Elapsed.TotalSeconds);
        }

        await Run("lake", async () => (await LakeBenchmark.RunAsync(1_000_000, 50_000, 10), []));
        await Run("query", async () => (await QueryBenchmark.RunAsync(10_000_000, 30, 5), []));
        if (postgresMissing is null)
        {
            await Run("checkpoints", async () => (await CheckpointBenchmark.RunAsync(server, 20_000, 1024, 3), []));
        }
        else
        {
            figures["checkpoints"] = new { skipped = postgresMissing };
        }
        await Run("ingest", async () => await IngestBenchmark.RunAsync(100_000, 50_000, 8, server,
            postgresMissing is null ? IngestBenchmark.Modes : ["memory"], TimeSpan.FromMinutes(5)));
        await Run("memory", async () => await MemoryBenchmark.RunAsync(50_000, 16, TimeSpan.Zero, TimeSpan.FromMinutes(5)));
        await Run("latency", async () => await LatencyBenchmark.RunAsync([1_000, 3_000, 5_000], TimeSpan.FromSeconds(20), 10_000, 16, TimeSpan.FromMinutes(3)));

        figures["seconds"] = seconds;
        figures["total_seconds"] = Math.Round(clock.Elapsed.TotalSeconds);
        if (reportPath is not null)
        {
            BenchmarkReport.Rewrite(reportPath, JsonSerializer.SerializeToElement(figures), failures);
            await Console.Error.WriteLineAsync($"rewrote the latest run in {reportPath}");
        }
        return (figures, failures);
    }

    /// <summary>Null when the server answers; otherwise why the scenarios that need it are skipped.</summary>
    private static async Task<string?> WhyUnreachableAsync(string server)
    {
        try
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            var address = new NpgsqlConnectionStringBuilder(server);
            return $"no PostgreSQL at {address.Host}:{address.Port} ({ex.Message}); start one with deploy/scripts/postgres.sh start";
        }
    }
}
