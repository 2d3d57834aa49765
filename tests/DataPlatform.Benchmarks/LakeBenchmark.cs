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
/// The lake's write and read path without the grid: simulated app events become silver rows, are
/// flushed in writer-sized batches (conform, profile, one Parquet file per partition, one commit), then
/// compacted, then queried with the kind of SQL analysts run on gold and silver.
/// </summary>
public static class LakeBenchmark
{
    private static readonly (string Name, string Sql)[] Queries =
    [
        ("count", "SELECT count(*) FROM silver.app_events"),
        ("daily_users", "SELECT event_date, count(DISTINCT user_id) AS users, count(*) AS events FROM silver.app_events GROUP BY 1 ORDER BY 1"),
        ("hourly_metrics", "SELECT event_date, event_hour, event_type, app_type, count(*) AS n, sum(value) AS value_sum FROM silver.app_events GROUP BY ALL"),
        ("top_event_types", "SELECT event_type, count(*) AS n FROM silver.app_events GROUP BY 1 ORDER BY n DESC LIMIT 10"),
        ("one_user", "SELECT * FROM silver.app_events WHERE user_id = 'user-00042' ORDER BY event_timestamp"),
    ];

    public static async Task<object> RunAsync(int rows, int batch, int queryRuns)
    {
        var root = Path.Combine(Path.GetTempPath(), $"dp-bench-lake-{Guid.NewGuid():N}");
        var options = new LakeOptions { Root = root, CompactionMinFiles = 2, MaxQueryRows = 10_000 };
        try
        {
            var definition = PlatformTables.Find("silver.app_events")!;
            var table = new LakeTable(root, definition, options, TimeProvider.System);
            table.Open();
            var generator = new EventGenerator(new SimulatorOptions { Seed = 3, Users = 20_000, Rate = 200, ShopActivity = false, DuplicateFraction = 0 },
                DateTimeOffset.UtcNow.Date.AddDays(-3));
            // Rows are made before the clock starts: the figure is the lake's, not the generator's.
            var source = generator.Take(long.MaxValue).Select(record => record.Event).OfType<AppEvent>().Take(rows).Select(SilverRows.Of).ToList();

            var write = Stopwatch.StartNew();
            var written = 0L;
            foreach (var chunk in source.Chunk(batch))
            {
                written += await LakeLoad.AppendAsync(table, chunk);
            }
            write.Stop();
            var filesBefore = table.Snapshot.Files.Count;
            var bytes = table.Snapshot.SizeBytes;

            var compaction = Stopwatch.StartNew();
            await table.CompactAsync(default);
            compaction.Stop();

            using var engine = new LakeQueryEngine(options, PlatformTables.All);
            var queries = await LakeLoad.TimeQueriesAsync(engine, Queries, queryRuns);

            return new
            {
                benchmark = "lake",
                rows = written,
                batch_rows = batch,
                write = new
                {
                    seconds = Math.Round(write.Elapsed.TotalSeconds, 2),
                    rows_per_second = Math.Round(written / write.Elapsed.TotalSeconds),
                    commits = table.Snapshot.Version,
                    files = filesBefore,
                    bytes,
                    bytes_per_row = Math.Round((double)bytes / written, 1),
                },
                compaction = new
                {
                    files_before = filesBefore,
                    files_after = table.Snapshot.Files.Count,
                    seconds = Math.Round(compaction.Elapsed.TotalSeconds, 2),
                    rows_per_second = Math.Round(written / compaction.Elapsed.TotalSeconds),
                },
                query = queries,
                query_runs = queryRuns,
            };
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
