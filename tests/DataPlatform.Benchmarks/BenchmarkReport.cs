using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using DataPlatform.Benchmarks.Ingest;

namespace DataPlatform.Benchmarks;

/// <summary>
/// The latest run of every scenario in docs/benchmarks.md: the machine, the date, the headline figures in a
/// table and every figure as JSON, between two markers; the rest of the document (how each scenario measures,
/// earlier runs and what they taught) stays as it is.
/// </summary>
public static class BenchmarkReport
{
    public const string Begin = "<!-- latest-run:begin -->";
    public const string End = "<!-- latest-run:end -->";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly (string Scenario, string Figure, string Path)[] Headlines =
    [
        ("ingest", "grid, memory storage (records/s)", "ingest.memory.records_per_second"),
        ("ingest", "bare consumer, same records (records/s)", "ingest.bare.0.records_per_second"),
        ("ingest", "grid ÷ bare consumer", "ingest.memory.grid_to_bare"),
        ("ingest", "grid, PostgreSQL checkpoints (records/s)", "ingest.durable.records_per_second"),
        ("ingest", "durable ÷ memory", "ingest.durable_to_memory"),
        ("latency", "1,000 records/s: kpis push p50 / p99 (ms)", "latency.phases.0.kpis.p50_ms|latency.phases.0.kpis.p99_ms"),
        ("latency", "1,000 records/s: GET /users/{id} p50 / p99 (ms)", "latency.phases.0.users.p50_ms|latency.phases.0.users.p99_ms"),
        ("latency", "3,000 records/s: kpis push p50 / p99 (ms)", "latency.phases.1.kpis.p50_ms|latency.phases.1.kpis.p99_ms"),
        ("latency", "3,000 records/s: GET /users/{id} p50 / p99 (ms)", "latency.phases.1.users.p50_ms|latency.phases.1.users.p99_ms"),
        ("latency", "5,000 records/s: kpis push p50 / p99 (ms)", "latency.phases.2.kpis.p50_ms|latency.phases.2.kpis.p99_ms"),
        ("latency", "5,000 records/s: GET /users/{id} p50 / p99 (ms)", "latency.phases.2.users.p50_ms|latency.phases.2.users.p99_ms"),
        ("memory", "resident bytes per active user", "memory.resident_bytes_per_user"),
        ("lake", "write to committed Parquet (rows/s)", "lake.write.rows_per_second"),
        ("lake", "compaction (rows/s)", "lake.compaction.rows_per_second"),
        ("query", "gold: 30 days of daily summary p50 / p95 (ms)", "query.gold.daily_summary_30_days.p50_ms|query.gold.daily_summary_30_days.p95_ms"),
        ("query", "gold: last day by event type p50 / p95 (ms)", "query.gold.events_by_type_last_day.p50_ms|query.gold.events_by_type_last_day.p95_ms"),
        ("query", "gold: 7-day hourly trend p50 / p95 (ms)", "query.gold.hourly_trend_7_days.p50_ms|query.gold.hourly_trend_7_days.p95_ms"),
        ("query", "gold: app mix p50 / p95 (ms)", "query.gold.app_mix.p50_ms|query.gold.app_mix.p95_ms"),
        ("query", "silver, 10M rows: daily users p50 / p95 (ms)", "query.silver.daily_users.p50_ms|query.silver.daily_users.p95_ms"),
        ("query", "silver, 10M rows: events per session p50 / p95 (ms)", "query.silver.events_per_session.p50_ms|query.silver.events_per_session.p95_ms"),
        ("query", "silver, 10M rows: one user's events p50 / p95 (ms)", "query.silver.one_user.p50_ms|query.silver.one_user.p95_ms"),
        ("checkpoints", "20,000 states of 1 KiB, overwrite p50 (rows/s)", "checkpoints.overwrite.p50_rows_per_second"),
    ];

    /// <summary>Replaces the section between the markers in <paramref name="path"/> (appends one when there is none).</summary>
    public static void Rewrite(string path, JsonElement figures, IReadOnlyList<string> failures)
    {
        ArgumentNullException.ThrowIfNull(failures);
        var document = File.ReadAllText(path);
        var section = Section(figures, failures);
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        document = begin >= 0 && end > begin
            ? string.Concat(document.AsSpan(0, begin), section, document.AsSpan(end + End.Length))
            : document.TrimEnd() + "\n\n" + section + "\n";
        File.WriteAllText(path, document);
    }

    private static string Section(JsonElement figures, IReadOnlyList<string> failures)
    {
        var text = new StringBuilder();
        text.AppendLine(Begin);
        text.AppendLine("## Latest run");
        text.AppendLine();
        var machine = FormattableString.Invariant(
            $"{Environment.ProcessorCount} cores, {MemoryGiB()} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        text.AppendLine(FormattableString.Invariant(
            $"Written by `dotnet run -c Release --project tests/DataPlatform.Benchmarks -- all` on {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC: {machine}, load average {MachineLoad.Now()} at the end; the scenarios took {Figure(figures, "total_seconds")} s in all. The sections below say how each scenario measures and what earlier runs found."));
        text.AppendLine();
        if (failures.Count > 0)
        {
            text.AppendLine("**This run failed:** " + string.Join("; ", failures));
            text.AppendLine();
        }
        text.AppendLine("| scenario | figure | value |");
        text.AppendLine("|---|---|---|");
        foreach (var (scenario, figure, paths) in Headlines)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{scenario}` | {figure} | {string.Join(" / ", paths.Split('|').Select(path => Figure(figures, path)))} |");
        }
        text.AppendLine();
        text.AppendLine("<details><summary>Every figure of the run (JSON)</summary>");
        text.AppendLine();
        text.AppendLine("```json");
        text.AppendLine(JsonSerializer.Serialize(figures, Indented));
        text.AppendLine("```");
        text.AppendLine();
        text.AppendLine("</details>");
        text.Append(End);
        return text.ToString();
    }

    /// <summary>The value at a dotted path (array items by index), formatted; "–" where the run has none.</summary>
    private static string Figure(JsonElement figures, string path)
    {
        var element = figures;
        foreach (var step in path.Split('.'))
        {
            if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(step, out var property))
            {
                element = property;
            }
            else if (element.ValueKind == JsonValueKind.Array && int.TryParse(step, CultureInfo.InvariantCulture, out var index) && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else
            {
                return "–";
            }
        }
        return element.ValueKind == JsonValueKind.Number
            ? element.GetDouble().ToString(element.GetDouble() >= 100 ? "#,0" : "0.###", CultureInfo.InvariantCulture)
            : element.ToString();
    }

    private static string MemoryGiB()
    {
        var total = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(line => line.StartsWith("MemTotal:", StringComparison.Ordinal))
            : null;
        return total is null ? "?" : Math.Round(long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1048576.0).ToString(CultureInfo.InvariantCulture);
    }
}
