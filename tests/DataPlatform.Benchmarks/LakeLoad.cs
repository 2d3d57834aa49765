using System.Diagnostics;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Sql;
using DataPlatform.Lake.Tables;

namespace DataPlatform.Benchmarks;

/// <summary>The lake's write path as a silo's writer runs it, and query timings as POST /query runs them.</summary>
public static class LakeLoad
{
    /// <summary>
    /// One flush: the rows are conformed to the schema, profiled for quality, written as one Parquet file per
    /// partition (Zstd, hashed, fsynced, renamed) and committed to the Delta log. The rows conformed.
    /// </summary>
    public static async Task<int> AppendAsync(LakeTable table, IReadOnlyList<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        var definition = table.Definition;
        var conformed = RowConformer.Conform(definition, rows).Rows;
        var files = new List<AddFile>();
        foreach (var partition in definition.GroupByPartition(conformed))
        {
            files.Add(await ParquetDataFile.WriteAsync(table.Root, definition, partition.Key, [.. partition], TimeProvider.System, default));
        }
        table.Append(files, [], QualityProfiler.Profile(definition, conformed, 0), "benchmark");
        return conformed.Count;
    }

    /// <summary>Runs each query once to warm up, then <paramref name="runs"/> times: p50 and p95 in milliseconds.</summary>
    public static async Task<Dictionary<string, object>> TimeQueriesAsync(LakeQueryEngine engine, IEnumerable<(string Name, string Sql)> queries, int runs)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(queries);
        var timings = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, sql) in queries)
        {
            await engine.ExecuteAsync(sql, null, default);
            var milliseconds = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var watch = Stopwatch.StartNew();
                await engine.ExecuteAsync(sql, null, default);
                milliseconds.Add(watch.Elapsed.TotalMilliseconds);
            }
            milliseconds.Sort();
            timings[name] = new { p50_ms = Math.Round(Percentile(milliseconds, 0.50), 1), p95_ms = Math.Round(Percentile(milliseconds, 0.95), 1) };
        }
        return timings;
    }

    /// <summary>The nearest-rank percentile of sorted values (<paramref name="share"/> from 0 to 1).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double share) =>
        sorted[Math.Clamp((int)Math.Ceiling(share * sorted.Count) - 1, 0, sorted.Count - 1)];
}
