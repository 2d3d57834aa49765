using DataPlatform.Lake.Files;
using DataPlatform.Lake.Sql;

namespace DataPlatform.UnitTests.Lake;

public sealed class QueryEngineTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 23);
    private readonly TestLake _lake = new();

    [Fact]
    public async Task Queries_read_the_committed_rows_with_their_types_and_partition()
    {
        var table = _lake.Open(TestLake.Events);
        var rows = Enumerable.Range(1, 5).Select(n => TestLake.Event(n, Day)).ToList();
        var file = await ParquetDataFile.WriteAsync(table.Root, table.Definition, Day, rows, _lake.Clock, default);
        table.Append([file], [], null, "test");

        var result = await _lake.Engine().ExecuteAsync(
            "SELECT event_id, quantity, \"offset\", value, amount, flag, occurred_at, event_date FROM silver.test_events ORDER BY quantity", null, default);

        Assert.Equal(5, result.RowCount);
        Assert.False(result.Truncated);
        Assert.Equal(["event_id", "quantity", "offset", "value", "amount", "flag", "occurred_at", "event_date"], result.Columns.Select(c => c.Name));
        Assert.Equal(["VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "DECIMAL(18,2)", "BOOLEAN", "TIMESTAMP", "DATE"], result.Columns.Select(c => c.Type));
        var first = result.Rows[0];
        Assert.Equal("e1", first[0].GetString());
        Assert.Equal(1, first[1].GetInt32());
        Assert.Equal(10L, first[2].GetInt64());
        Assert.Equal(1.5, first[3].GetDouble());
        Assert.Equal(13.34m, first[4].GetDecimal());
        Assert.False(first[5].GetBoolean());
        Assert.Equal("2026-11-23 10:00:01", first[6].GetString());
        Assert.Equal(Day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), first[7].GetString());
    }

    [Fact]
    public async Task An_empty_table_answers_with_no_rows()
    {
        _lake.Open(TestLake.Events);
        var result = await _lake.Engine().ExecuteAsync("SELECT count(*) AS n FROM silver.test_events", null, default);
        Assert.Equal(0L, result.Rows[0][0].GetInt64());
    }

    [Theory]
    [InlineData("SELECT * FROM read_text('/etc/passwd')")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')")]
    [InlineData("SELECT * FROM read_blob('/etc/passwd')")]
    [InlineData("SELECT * FROM read_parquet('/etc/passwd')")]
    [InlineData("SELECT * FROM '/etc/passwd'")]
    [InlineData("SELECT * FROM glob('/etc/*')")]
    [InlineData("SELECT * FROM read_json_auto('/etc/passwd')")]
    public async Task Files_outside_the_lake_cannot_be_read(string sql)
    {
        _lake.Open(TestLake.Events);
        var error = await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync(sql, null, default));
        Assert.DoesNotContain("root:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paths_that_climb_out_of_the_lake_are_refused_too()
    {
        _lake.Open(TestLake.Events);
        var climbing = Path.Combine(_lake.Root, "..", "..", "..", "..", "..", "..", "etc", "passwd");
        foreach (var sql in new[] { $"SELECT * FROM read_text('{climbing}')", $"SELECT * FROM read_csv('{climbing}')" })
        {
            var error = await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync(sql, null, default));
            Assert.Contains("Permission Error", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("INSERT INTO silver.test_events VALUES (1)", "INSERT")]
    [InlineData("CREATE TABLE t AS SELECT 1", "CREATE")]
    [InlineData("DROP TABLE silver.test_events", "DROP")]
    [InlineData("ATTACH '/tmp/x.db' AS x", "ATTACH")]
    [InlineData("COPY (SELECT 1) TO '/tmp/out.csv'", "COPY")]
    [InlineData("INSTALL httpfs", "INSTALL")]
    [InlineData("LOAD httpfs", "LOAD")]
    [InlineData("PRAGMA database_list", "PRAGMA")]
    [InlineData("SET enable_external_access = true", "SET")]
    [InlineData("SELECT 1; DROP TABLE x", "one statement")]
    [InlineData("UPDATE silver.test_events SET quantity = 1", "UPDATE")]
    [InlineData("DELETE FROM silver.test_events", "DELETE")]
    [InlineData("EXPORT DATABASE '/tmp/x'", "EXPORT")]
    [InlineData("", "empty")]
    public async Task Writes_and_engine_changes_are_refused_with_a_message(string sql, string mentioned)
    {
        var error = await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync(sql, null, default));
        Assert.Contains(mentioned, error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Refused_statements_touch_nothing()
    {
        var table = _lake.Open(TestLake.Events);
        var file = await ParquetDataFile.WriteAsync(table.Root, table.Definition, Day, [TestLake.Event(1, Day)], _lake.Clock, default);
        table.Append([file], [], null, "test");
        string[] Listing() => [.. Directory.EnumerateFileSystemEntries(_lake.Root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];
        var before = Listing();
        var target = Path.Combine(_lake.Root, "copied.csv");
        var database = Path.Combine(_lake.Root, "attached.db");

        foreach (var sql in new[]
        {
            $"COPY (SELECT * FROM silver.test_events) TO '{target}'", $"ATTACH '{database}' AS other", "DELETE FROM silver.test_events",
            "DROP VIEW silver.test_events", "CREATE TABLE silver.t AS SELECT 1", "INSERT INTO silver.test_events SELECT * FROM silver.test_events",
        })
        {
            await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync(sql, null, default));
        }

        Assert.Equal(before, Listing());
        Assert.False(File.Exists(target));
        Assert.False(File.Exists(database));
        Assert.Equal(1L, (await _lake.Engine().ExecuteAsync("SELECT count(*) FROM silver.test_events", null, default)).Rows[0][0].GetInt64());
    }

    [Theory]
    [InlineData("SELECT 'drop table x' AS s")]
    [InlineData("-- set nothing\nSELECT 1")]
    [InlineData("SELECT replace('a-b', '-', '+') AS updated_at")]
    [InlineData("WITH t AS (SELECT 1 AS x) SELECT x FROM t;")]
    public async Task Read_only_sql_mentioning_keywords_in_strings_comments_or_names_runs(string sql)
    {
        var result = await _lake.Engine().ExecuteAsync(sql, null, default);
        Assert.Equal(1, result.RowCount);
    }

    [Fact]
    public async Task Table_names_in_strings_and_comments_are_not_rewritten()
    {
        _lake.Open(TestLake.Events);
        var result = await _lake.Engine().ExecuteAsync(
            "-- counts gold.nothing, a table that does not exist\nSELECT 'silver.test_events' AS name, E'it\\'s silver.test_events' AS escaped, "
            + "$$silver.test_events$$ AS dollar, count(*) AS n FROM silver.test_events /* bronze.x */", null, default);
        Assert.Equal(["silver.test_events", "it's silver.test_events", "silver.test_events"], result.Rows[0].EnumerateArray().Take(3).Select(value => value.GetString()));
        Assert.Equal(0L, result.Rows[0][3].GetInt64());
    }

    [Fact]
    public async Task Results_stop_at_the_limit_and_say_so()
    {
        var result = await _lake.Engine().ExecuteAsync("SELECT * FROM range(50)", 20, default);
        Assert.Equal(20, result.RowCount);
        Assert.True(result.Truncated);
        await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync("SELECT 1", 0, default));
        await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync("SELECT 1", _lake.Options.MaxQueryRows + 1, default));
    }

    [Fact]
    public async Task A_query_past_the_timeout_is_cancelled()
    {
        _lake.Options.QueryTimeout = TimeSpan.FromMilliseconds(300);
        var error = await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync(
            "SELECT sum(a.range * b.range) FROM range(100000000) a, range(100000000) b", null, default));
        Assert.Contains("cancelled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_tables_are_named_in_the_error()
    {
        var error = await Assert.ThrowsAsync<LakeQueryException>(() => _lake.Engine().ExecuteAsync("SELECT * FROM gold.nothing", null, default));
        Assert.Contains("gold.nothing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_engine_answers_each_query_over_the_snapshots_that_query_names_and_nothing_else()
    {
        // An engine keeps the databases of earlier queries: the next query must still see the newest commit,
        // and no table an earlier query named.
        var table = _lake.Open(TestLake.Events);
        var engine = _lake.Engine();
        const string count = "SELECT count(*) FROM silver.test_events";
        Assert.Equal(0L, (await engine.ExecuteAsync(count, null, default)).Rows[0][0].GetInt64());

        var rows = Enumerable.Range(1, 5).Select(n => TestLake.Event(n, Day)).ToList();
        table.Append([await ParquetDataFile.WriteAsync(table.Root, table.Definition, Day, rows, _lake.Clock, default)], [], null, "test");
        Assert.Equal(5L, (await engine.ExecuteAsync(count, null, default)).Rows[0][0].GetInt64());
        Assert.Equal(0L, (await engine.ExecuteAsync("SELECT count(*) FROM silver.test_events VERSION AS OF 0", null, default)).Rows[0][0].GetInt64());

        // The view of the last query, named as the engine names it (a quoted name is no table reference).
        var error = await Assert.ThrowsAsync<LakeQueryException>(() => engine.ExecuteAsync("SELECT count(*) FROM \"silver\".\"test_events@v0\"", null, default));
        Assert.Contains("test_events@v0", error.Message, StringComparison.Ordinal);
        Assert.Equal(5L, (await engine.ExecuteAsync(count, null, default)).Rows[0][0].GetInt64());
    }

    [Fact]
    public async Task After_a_query_that_failed_or_ran_out_of_time_the_engine_answers_the_next_one()
    {
        _lake.Open(TestLake.Events);
        _lake.Options.QueryTimeout = TimeSpan.FromMilliseconds(300);
        var engine = _lake.Engine();
        await Assert.ThrowsAsync<LakeQueryException>(() => engine.ExecuteAsync(
            "SELECT sum(a.range * b.range) FROM range(100000000) a, range(100000000) b", null, default));
        await Assert.ThrowsAsync<LakeQueryException>(() => engine.ExecuteAsync("SELECT CAST(event_id || 'x' AS INTEGER) FROM silver.test_events UNION ALL SELECT CAST('x' AS INTEGER)", null, default));

        var result = await engine.ExecuteAsync("SELECT count(*) FROM silver.test_events", null, default);

        Assert.Equal(0L, result.Rows[0][0].GetInt64());
    }

    public void Dispose() => _lake.Dispose();
}
