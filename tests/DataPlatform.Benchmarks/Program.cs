using System.Globalization;
using System.Text.Json;
using DataPlatform.Benchmarks;

// dotnet run -c Release --project tests/DataPlatform.Benchmarks -- lake [--rows 1000000] [--batch 50000] [--runs 20]
// Prints one JSON object. Run on a quiet machine; every figure depends on it.
var arguments = args.ToList();
int Option(string name, int fallback)
{
    var index = arguments.IndexOf(name);
    return index >= 0 && index + 1 < arguments.Count ? int.Parse(arguments[index + 1], CultureInfo.InvariantCulture) : fallback;
}

switch (arguments.FirstOrDefault())
{
    case "lake":
        var result = await LakeBenchmark.RunAsync(Option("--rows", 1_000_000), Option("--batch", 50_000), Option("--runs", 20));
        Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: DataPlatform.Benchmarks lake [--rows N] [--batch N] [--runs N]");
        return 64;
}
