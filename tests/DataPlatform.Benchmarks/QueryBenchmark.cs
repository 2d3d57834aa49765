using System.Diagnostics;
using DataPlatform.Contracts.Events;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;
using DataPlatform.Lake.Tables;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;

namespace DataPlatform.Benchmarks;

/// <summary>
/// Queries over a lake the size of weeks of traffic: <c>rows</c> of the simulator's app events spread over
/// <c>days</c> days go to <c>silver.app_events</c> in flushes of 500,000 rows, with the gold tables the grid
/// would publish for them (<see cref="GoldFromEvents"/>); every table is compacted, as the lake's maintenance
/// does. Then the gold queries a dashboard over the lake runs and three analyst queries over silver each run
/// <c>runs</c> times through the sandboxed DuckDB engine, as POST /query runs them.
/// </summary>
public static class QueryBenchmark
{
    private const int FlushRows = 500_000;

    private static readonly (string Name, string Sql)[] GoldQueries =
    [
        ("daily_summary_30_days", "SELECT * FROM gold.daily_summary ORDER BY date DESC LIMIT 30"),
        ("events_by_type_last_day", "SELECT event_type, sum(total_events) AS events, sum(unique_users) AS users FROM gold.event_metrics WHERE metric_date = (SELECT max(metric_date) FROM gold.event_metrics) GROUP BY 1 ORDER BY 2 DESC"),
        ("hourly_trend_7_days", "SELECT metric_date, metric_hour, sum(total_events) AS events FROM gold.event_metrics WHERE metric_date > (SELECT max(metric_date) - INTERVAL 7 DAY FROM gold.event_metrics) GROUP BY 1, 2 ORDER BY 1, 2"),
        ("app_mix", "SELECT app_type, sum(total_events) AS events, sum(value_sum) AS value FROM gold.event_metrics GROUP BY 1 ORDER BY 2 DESC"),
    ];

    private static readonly (string Name, string Sql)[] SilverQueries =
    [
        ("daily_users", "SELECT event_date, count(DISTINCT user_id) AS users, count(*) AS events FROM silver.app_events GROUP BY 1 ORDER BY 1"),
        ("events_per_session", "SELECT events, count(*) AS sessions FROM (SELECT session_id, count(*) AS events FROM silver.app_events WHERE session_id IS NOT NULL GROUP BY 1) GROUP BY 1 ORDER BY 1"),
        ("one_user", "SELECT * FROM silver.app_events WHERE user_id = 'user-00042' ORDER BY event_timestamp"),
    ];

    public static async Task<object> RunAsync(int rows, int days, int runs)
    {
        var root = Path.Combine(Path.GetTempPath(), $"dp-bench-query-{Guid.NewGuid():N}");
        var options = new LakeOptions { Root = root, CompactionMinFiles = 2, MaxQueryRows = 10_000 };
        try
        {
            LakeTable Open(string name)
            {
                var table = new LakeTable(root, PlatformTables.Find(name)!, options, TimeProvider.System);
                table.Open();
                return table;
            }
            var silver = Open("silver.app_events");
            var (eventMetrics, dailySummary) = (Open(GoldRows.EventMetrics), Open(GoldRows.DailySummary));

            // About 45 % of the simulator's records are app events: the rate spreads the rows over the days asked.
            var rate = rows / 0.45 / (days * 86_400.0);
            var generator = new EventGenerator(new SimulatorOptions { Seed = 7, Users = 100_000, Rate = rate, DuplicateFraction = 0, MalformedFraction = 0 },
                DateTimeOffset.UtcNow.Date.AddDays(-days));
            var gold = new GoldFromEvents();
            var loading = Stopwatch.StartNew();
            long loaded = 0;
            foreach (var flush in generator.Take(long.MaxValue).Select(record => record.Event).OfType<AppEvent>().Take(rows).Chunk(FlushRows))
            {
                foreach (var appEvent in flush)
                {
                    gold.Add(appEvent);
                }
                loaded += await LakeLoad.AppendAsync(silver, [.. flush.Select(SilverRows.Of)]);
                await Console.Error.WriteLineAsync($"{loaded} silver rows ...");
            }
            await LakeLoad.AppendAsync(eventMetrics, gold.EventMetricRows());
            await LakeLoad.AppendAsync(dailySummary, gold.DailySummaryRows());
            foreach (var table in (LakeTable[])[silver, eventMetrics, dailySummary])
            {
                await table.CompactAsync(default);
            }
            var loadSeconds = loading.Elapsed.TotalSeconds;

            using var engine = new LakeQueryEngine(options, PlatformTables.All);
            return new
            {
                benchmark = "query",
                silver_rows = loaded,
                days,
                silver_files = silver.Snapshot.Files.Count,
                silver_bytes = silver.Snapshot.SizeBytes,
                gold_event_metrics_rows = eventMetrics.Snapshot.RowCount,
                gold_daily_summary_rows = dailySummary.Snapshot.RowCount,
                load_seconds = Math.Round(loadSeconds, 1),
                gold = await LakeLoad.TimeQueriesAsync(engine, GoldQueries, runs),
                silver = await LakeLoad.TimeQueriesAsync(engine, SilverQueries, runs),
                query_runs = runs,
            };
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
