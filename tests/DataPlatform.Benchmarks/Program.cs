using System.Globalization;
using System.Text.Json;
using DataPlatform.Benchmarks;
using DataPlatform.Benchmarks.Latency;

// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- lake [--rows 1000000] [--batch 50000] [--runs 20]
// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- query [--rows 10000000] [--days 30] [--runs 20]
// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- checkpoints [--connection "$(deploy/scripts/postgres.sh url)"] [--states 20000] [--bytes 1024] [--runs 5]
// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- ingest [--records 200000] [--users 100000] [--partitions 8] [--connection "$(deploy/scripts/postgres.sh url)"] [--modes memory,durable] [--timeout 600]
// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- memory [--users 200000] [--partitions 16] [--idle SECONDS] [--timeout 900]
// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- latency [--rates 1000,5000,10000] [--seconds 30] [--users 10000] [--partitions 16] [--timeout 300]
// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- all [--connection "$(deploy/scripts/postgres.sh url)"] [--report docs/benchmarks.md]
// Prints one JSON object. Run on a quiet machine; every figure depends on it.
var arguments = args.ToList();
string? Value(string name)
{
    var index = arguments.IndexOf(name);
    return index >= 0 && index + 1 < arguments.Count ? arguments[index + 1] : null;
}
int Option(string name, int fallback) => Value(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
var json = new JsonSerializerOptions { WriteIndented = true };

switch (arguments.FirstOrDefault())
{
    case "all":
        // Every scenario at sizes that fit about ten minutes; rewrites the latest-run section of the report.
        var (all, allFailures) = await AllBenchmarks.RunAsync(Value("--connection") ?? ScratchDatabase.DefaultServer, Value("--report") ?? "docs/benchmarks.md");
        Console.WriteLine(JsonSerializer.Serialize(all, json));
        foreach (var failure in allFailures)
        {
            await Console.Error.WriteLineAsync($"failed: {failure}");
        }
        return allFailures.Count == 0 ? 0 : 1;
    case "lake":
        Console.WriteLine(JsonSerializer.Serialize(
            await LakeBenchmark.RunAsync(Option("--rows", 1_000_000), Option("--batch", 50_000), Option("--runs", 20)), json));
        return 0;
    case "query":
        Console.WriteLine(JsonSerializer.Serialize(
            await QueryBenchmark.RunAsync(Option("--rows", 10_000_000), Option("--days", 30), Option("--runs", 20)), json));
        return 0;
    case "checkpoints":
        // The server of deploy/scripts/postgres.sh by default; the benchmark makes and drops its own database there.
        Console.WriteLine(JsonSerializer.Serialize(
            await CheckpointBenchmark.RunAsync(
                Value("--connection") ?? ScratchDatabase.DefaultServer,
                Option("--states", 20_000), Option("--bytes", 1024), Option("--runs", 5)), json));
        return 0;
    case "memory":
        var (memory, memoryFailures) = await MemoryBenchmark.RunAsync(Option("--users", 200_000), Option("--partitions", 16),
            TimeSpan.FromSeconds(Option("--idle", 0)), TimeSpan.FromSeconds(Option("--timeout", 900)));
        Console.WriteLine(JsonSerializer.Serialize(memory, json));
        foreach (var failure in memoryFailures)
        {
            await Console.Error.WriteLineAsync($"failed: {failure}");
        }
        return memoryFailures.Count == 0 ? 0 : 1;
    case "latency":
        var rates = (Value("--rates") ?? "1000,5000,10000").Split(',').Select(rate => double.Parse(rate, CultureInfo.InvariantCulture)).ToList();
        var (latency, latencyFailures) = await LatencyBenchmark.RunAsync(rates, TimeSpan.FromSeconds(Option("--seconds", 30)),
            Option("--users", 10_000), Option("--partitions", 16), TimeSpan.FromSeconds(Option("--timeout", 300)),
            // Any silo setting, for experiments: --silo "--Kafka:PollInterval=00:00:00.010"
            [.. arguments.Select((argument, index) => (argument, index)).Where(pair => pair.index > 0 && arguments[pair.index - 1] == "--silo").Select(pair => pair.argument)]);
        Console.WriteLine(JsonSerializer.Serialize(latency, json));
        foreach (var failure in latencyFailures)
        {
            await Console.Error.WriteLineAsync($"failed: {failure}");
        }
        return latencyFailures.Count == 0 ? 0 : 1;
    case "ingest":
        // A standalone embedded Kafka of its own; the durable run makes and drops its own database on the PostgreSQL server.
        var (figures, failures) = await IngestBenchmark.RunAsync(
            Option("--records", 200_000), Option("--users", 100_000), Option("--partitions", 8),
            Value("--connection") ?? ScratchDatabase.DefaultServer,
            Value("--modes")?.Split(',') ?? [.. IngestBenchmark.Modes], TimeSpan.FromSeconds(Option("--timeout", 600)));
        Console.WriteLine(JsonSerializer.Serialize(figures, json));
        // The figures are printed either way; a silo run that stalled or counted differently from the records fails the run.
        foreach (var failure in failures)
        {
            await Console.Error.WriteLineAsync($"failed: {failure}");
        }
        return failures.Count == 0 ? 0 : 1;
    default:
        await Console.Error.WriteLineAsync("usage: DataPlatform.Benchmarks all [--connection S] [--report PATH] | lake [--rows N] [--batch N] [--runs N] | query [--rows N] [--days N] [--runs N] | checkpoints [--connection S] [--states N] [--bytes N] [--runs N] | ingest [--records N] [--users N] [--partitions N] [--connection S] [--modes memory,durable] [--timeout SECONDS] | memory [--users N] [--partitions N] [--idle SECONDS] [--timeout SECONDS] | latency [--rates R,R,...] [--seconds N] [--users N] [--partitions N] [--timeout SECONDS]");
        return 64;
}
