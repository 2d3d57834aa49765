using System.Text.Json;
using System.Diagnostics;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Sql;

namespace DataPlatform.UnitTests.Lake;

/// <summary>What a query may not do: run a second statement, show the machine's paths, take the silo's memory or crowd out other queries.</summary>
public sealed class QuerySandboxTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 23);
    private readonly TestLake _lake = new();

    [Fact]
    public async Task A_second_statement_hidden_behind_an_escaped_quote_is_refused_and_runs_nothing()
    {
        var target = Path.Combine(_lake.Root, "x.csv");
        foreach (var sql in new[]
        {
            $"SELECT E'\\''; COPY (SELECT 42) TO '{target}'; --'",
            $"SELECT 1) AS q; COPY (SELECT 42) TO '{target}'; SELECT * FROM (SELECT 1",
            $"SELECT $$x$$; COPY (SELECT 42) TO '{target}'",
        })
        {
            await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync(sql, null, default));
        }
        Assert.False(File.Exists(target));
    }

    [Theory]
    [InlineData("SELECT E'it\\'s' AS s")]
    [InlineData("SELECT $$it's$$ AS s")]
    [InlineData("SELECT 1; -- done")]
    [InlineData("FROM range(1) SELECT range + 1")]
    [InlineData("VALUES (1)")]
    [InlineData("SELECT list_transform([1, 2], x -> x + 1) AS l")]
    [InlineData("SELECT x FROM (VALUES (1), (2)) t(x) QUALIFY row_number() OVER (ORDER BY x) = 1")]
    [InlineData("PIVOT (SELECT 'a' AS k, 1 AS v) ON k IN ('a') USING sum(v)")]
    [InlineData("SELECT COLUMNS(*) FROM (SELECT 1 AS a)")]
    public async Task Read_only_sql_of_every_shape_runs(string sql)
    {
        var result = await _lake.Engine().ExecuteAsync(sql, null, default);
        Assert.Equal(1, result.RowCount);
    }

    [Fact]
    public async Task Describe_summarize_and_table_read_the_lake_and_explain_is_refused()
    {
        await AppendOneAsync();
        var engine = _lake.Engine();

        Assert.Equal(9, (await engine.ExecuteAsync("DESCRIBE silver.test_events", null, default)).RowCount);
        Assert.Equal(9, (await engine.ExecuteAsync("SUMMARIZE silver.test_events", null, default)).RowCount);
        Assert.Equal(1, (await engine.ExecuteAsync("TABLE silver.test_events", null, default)).RowCount);
        foreach (var sql in new[] { "EXPLAIN SELECT * FROM silver.test_events", "EXPLAIN ANALYZE SELECT * FROM silver.test_events" })
        {
            var error = await Assert.ThrowsAsync<LakeQueryException>(() => engine.ExecuteAsync(sql, null, default));
            Assert.Contains("EXPLAIN", error.Message, StringComparison.Ordinal);
        }
        var pivot = await Assert.ThrowsAsync<LakeQueryException>(() => engine.ExecuteAsync("PIVOT silver.test_events ON flag USING count(*)", null, default));
        Assert.Contains("ON k IN ('a', 'b')", pivot.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SELECT current_setting('allowed_directories') AS v", "current_setting")]
    [InlineData("SELECT reverse(current_setting('allowed_directories')::VARCHAR) AS v", "current_setting")]
    [InlineData("SELECT hex(substr(current_setting('temp_directory'), 2)) AS v", "current_setting")]
    [InlineData("SELECT list(name || '=' || value) AS v FROM duckdb_settings()", "duckdb_settings")]
    [InlineData("SELECT list(replace(sql, '/', '|')) AS v FROM duckdb_views()", "duckdb_views")]
    [InlineData("SELECT * FROM silver.test_events WHERE EXISTS (SELECT 1 FROM duckdb_temporary_files())", "duckdb_temporary_files")]
    [InlineData("WITH d AS (SELECT path FROM duckdb_databases()) SELECT reverse(path) FROM d", "duckdb_databases")]
    [InlineData("SELECT [x.file FOR x IN (SELECT list(g) FROM glob('**'))] AS v", "glob")]
    public async Task Functions_that_show_the_engines_configuration_are_refused_wherever_they_appear(string sql, string function)
    {
        await AppendOneAsync();
        var error = await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync(sql, null, default));
        Assert.StartsWith($"{function}() is not offered", error.Message, StringComparison.Ordinal);
        AssertNoMachinePath(error.Message);
    }

    [Fact]
    public async Task A_constant_past_double_range_is_read_by_the_guard_and_answered_in_its_json_form()
    {
        var result = await _lake.Engine().ExecuteAsync("SELECT 1e400 AS v", null, default);
        Assert.Equal("Infinity", result.Rows[0][0].GetString());
    }

    [Fact]
    public async Task Values_that_hold_a_machine_path_come_back_lake_relative()
    {
        await AppendOneAsync();
        var result = await _lake.Engine().ExecuteAsync($"SELECT '{_lake.Root}/silver' AS v, count(*) AS n FROM silver.test_events", null, default);
        Assert.Equal("lake/silver", result.Rows[0][0].GetString());
    }

    [Fact]
    public async Task Error_messages_show_lake_relative_paths_only()
    {
        _lake.Open(TestLake.Events);
        foreach (var sql in new[]
        {
            $"SELECT '{_lake.Root}' AS root FROM nowhere",
            $"SELECT '{_lake.Root}' + 1",
            $"SELECT * FROM '{_lake.Root}/missing.parquet' WHERE",
            $"SELECT * FROM read_parquet('{_lake.Root}/nothing.parquet')",
            $"SELECT * FROM read_csv('{_lake.Root}/silver')",
            "SELECT * FROM read_text('/etc/passwd')",
        })
        {
            var error = await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync(sql, null, default));
            AssertNoMachinePath(error.Message);
        }
    }

    [Fact]
    public async Task A_query_larger_than_its_memory_spills_to_a_directory_of_its_own_that_is_gone_after_it()
    {
        // Sorting ten million rows needs more than 64 MiB: it completes only by spilling.
        const string sort = "SELECT max(r) FROM (SELECT range AS r FROM range(10000000) ORDER BY hash(range) LIMIT 5000000)";
        _lake.Options.QueryMemoryLimit = 64L * 1024 * 1024;
        var spillRoot = Path.Combine(Path.GetTempPath(), "dataplatform-sql");
        string[] Spills() => Directory.Exists(spillRoot) ? [.. Directory.GetDirectories(spillRoot).Order(StringComparer.Ordinal)] : [];
        var before = Spills();

        var result = await _lake.Engine().ExecuteAsync(sort, null, default);

        Assert.Equal(JsonValueKind.Number, result.Rows[0][0].ValueKind);
        Assert.Equal(before, Spills());
        _lake.Options.QuerySpillLimit = 0;
        var refused = await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync(sort, null, default));
        Assert.Contains("memory limit", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_query_past_its_memory_limit_is_refused_and_the_memory_is_given_back()
    {
        _lake.Options.QueryMemoryLimit = 256L * 1024 * 1024;
        var engine = _lake.Engine();
        await engine.ExecuteAsync("SELECT 1", null, default); // DuckDB loaded, so it is not counted as the query's
        var before = ResidentBytes();

        var error = await Assert.ThrowsAsync<LakeQueryException>(() => engine.ExecuteAsync(
            "SELECT len(l) FROM (SELECT list(range) AS l FROM range(250000000))", null, default));

        Assert.Contains("exceeded the memory limit of 256 MiB", error.Message, StringComparison.Ordinal);
        Assert.True(ResidentBytes() < before + 400L * 1024 * 1024, $"resident memory went from {before >> 20} MiB to {ResidentBytes() >> 20} MiB");
    }

    [Fact]
    public async Task Queries_beyond_the_places_are_turned_away_until_a_place_frees()
    {
        _lake.Options.MaxConcurrentQueries = 2;
        _lake.Options.QueryQueueTimeout = TimeSpan.FromMilliseconds(50);
        var engine = _lake.Engine();
        var held = new[] { await engine.Admission.EnterAsync(default), await engine.Admission.EnterAsync(default) };

        var busy = await Assert.ThrowsAsync<LakeBusyException>(() => engine.ExecuteAsync("SELECT 1", null, default));
        Assert.Contains("2 queries are already running", busy.Message, StringComparison.Ordinal);

        held[0].Dispose();
        Assert.Equal(1, (await engine.ExecuteAsync("SELECT 1", null, default)).RowCount);
        held[1].Dispose();
    }

    [Fact]
    public void Query_limits_that_cannot_be_applied_fail_validation()
    {
        var validator = new DataPlatform.Lake.LakeOptionsValidator();
        Assert.True(validator.Validate(null, new DataPlatform.Lake.LakeOptions()).Succeeded);
        Assert.True(validator.Validate(null, new DataPlatform.Lake.LakeOptions { RetentionDays = { ["bronze.app_events"] = 7 } }).Succeeded);
        foreach (var (options, setting) in new (DataPlatform.Lake.LakeOptions, string)[]
        {
            (new() { MaxConcurrentQueries = 0 }, "Lake:MaxConcurrentQueries"),
            (new() { QueryThreads = 0 }, "Lake:QueryThreads"),
            (new() { QueryMemoryLimit = 1024 }, "Lake:QueryMemoryLimit"),
            (new() { QuerySpillLimit = -1 }, "Lake:QuerySpillLimit"),
            (new() { QueryQueueTimeout = TimeSpan.FromSeconds(-1) }, "Lake:QueryQueueTimeout"),
            (new() { DefaultQueryRows = 0 }, "Lake:DefaultQueryRows"),
            (new() { RetentionDays = { ["silver.nothing"] = 7 } }, "Lake:RetentionDays:silver.nothing"),
            (new() { RetentionDays = { ["gold.user_segments"] = 7 } }, "Lake:RetentionDays:gold.user_segments"),
            (new() { RetentionDays = { ["bronze.app_events"] = 0 } }, "Lake:RetentionDays:bronze.app_events"),
        })
        {
            var result = validator.Validate(null, options);
            Assert.True(result.Failed);
            Assert.StartsWith(setting, Assert.Single(result.Failures!), StringComparison.Ordinal);
        }
    }

    private async Task AppendOneAsync()
    {
        var table = _lake.Open(TestLake.Events);
        var file = await ParquetDataFile.WriteAsync(table.Root, table.Definition, Day, [TestLake.Event(1, Day)], _lake.Clock, default);
        table.Append([file], [], null, "test");
    }

    private void AssertNoMachinePath(string text)
    {
        Assert.DoesNotContain(_lake.Root[..^8], text, StringComparison.Ordinal); // cut short paths too
        Assert.DoesNotContain(Path.Combine(Path.GetTempPath(), "dataplatform-sql"), text, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + "/", text, StringComparison.Ordinal);
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    public void Dispose() => _lake.Dispose();
}
