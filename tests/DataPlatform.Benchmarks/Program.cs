using System.Globalization;
using System.Text.Json;
using DataPlatform.Benchmarks;

// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- lake [--rows 1000000] [--batch 50000] [--runs 20]
// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- checkpoints [--connection "$(deploy/scripts/postgres.sh url)"] [--states 20000] [--bytes 1024] [--runs 5]
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
    case "lake":
        Console.WriteLine(JsonSerializer.Serialize(
            await LakeBenchmark.RunAsync(Option("--rows", 1_000_000), Option("--batch", 50_000), Option("--runs", 20)), json));
        return 0;
    case "checkpoints":
        // The server of deploy/scripts/postgres.sh by default; the benchmark makes and drops its own database there.
        Console.WriteLine(JsonSerializer.Serialize(
            await CheckpointBenchmark.RunAsync(
                Value("--connection") ?? "Host=127.0.0.1;Port=55432;Database=dataplatform;Username=postgres",
                Option("--states", 20_000), Option("--bytes", 1024), Option("--runs", 5)), json));
        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: DataPlatform.Benchmarks lake [--rows N] [--batch N] [--runs N] | checkpoints [--connection S] [--states N] [--bytes N] [--runs N]");
        return 64;
}
