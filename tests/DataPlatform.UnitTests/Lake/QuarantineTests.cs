using System.Globalization;
using System.Text.Json;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Quality;

namespace DataPlatform.UnitTests.Lake;

/// <summary>A row a table cannot take goes to bronze.quarantine with its reason; the rest of the flush commits and the table keeps flushing.</summary>
public sealed class QuarantineTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 23);
    private readonly LakeWriterHarness _lake = new();

    public void Dispose() => _lake.Dispose();

    private static object?[] Event(int n) => TestLake.Event(n, Day);

    private static object?[] With(object?[] row, string column, object? value)
    {
        var copy = (object?[])row.Clone();
        copy[TestLake.Events.IndexOf(column)] = value;
        return copy;
    }

    public static TheoryData<string, object?, string> Unrepresentable => new()
    {
        { "amount", 99999999999999999999.99m, "out_of_range:amount" },
        { "amount", "99999999999999999999.99", "out_of_range:amount" },
        { "amount", "1e40", "out_of_range:amount" },
        { "amount", 1e16, "out_of_range:amount" },
        { "amount", double.NaN, "out_of_range:amount" },
        { "amount", "a lot", "wrong_type:amount" },
        { "value", double.PositiveInfinity, "out_of_range:value" },
        { "value", double.NaN, "out_of_range:value" },
        { "quantity", 3_000_000_000L, "out_of_range:quantity" },
        { "quantity", "3000000000", "out_of_range:quantity" },
        { "quantity", 2.5, "wrong_type:quantity" },
        { "offset", "99999999999999999999", "out_of_range:offset" },
        { "occurred_at", "yesterday-ish", "wrong_type:occurred_at" },
        { "event_date", "2026-13-40", "wrong_type:event_date" },
        { "flag", "maybe", "wrong_type:flag" },
        { "user_id", new byte[] { 1, 2 }, "wrong_type:user_id" },
        { "event_id", null, "missing_value:event_id" },
    };

    [Theory]
    [MemberData(nameof(Unrepresentable))]
    public void A_value_present_but_not_representable_rejects_its_row_with_a_reason_instead_of_emptying_it(string column, object? value, string reason)
    {
        var bad = With(Event(2), column, value);

        var conformance = RowConformer.Conform(TestLake.Events, [Event(1), bad, Event(3)]);

        Assert.Equal(2, conformance.Rows.Count);
        var rejected = Assert.Single(conformance.Rejected);
        Assert.Equal((1, reason), (rejected.Index, rejected.Reason));
        Assert.Same(bad, rejected.Row);
        Assert.Equal(column, rejected.Column);
    }

    [Fact]
    public void Text_with_an_unpaired_surrogate_has_no_utf8_form_and_is_rejected()
    {
        var rejected = Assert.Single(RowConformer.Conform(TestLake.Events, [With(Event(1), "user_id", "broken \ud800 text")]).Rejected);

        Assert.Equal("invalid_text:user_id", rejected.Reason);
    }

    [Fact]
    public void Values_that_fit_are_kept_exactly_or_rounded_to_the_column_scale()
    {
        var row = With(With(With(Event(1), "amount", "9999999999999999.994"), "quantity", "42"), "flag", "true");

        var conformed = Assert.Single(RowConformer.Conform(TestLake.Events, [row]).Rows);

        Assert.Equal(9999999999999999.99m, conformed[TestLake.Events.IndexOf("amount")]);
        Assert.Equal(42, conformed[TestLake.Events.IndexOf("quantity")]);
        Assert.Equal(true, conformed[TestLake.Events.IndexOf("flag")]);
        Assert.Equal("9999999999999999.994", row[TestLake.Events.IndexOf("amount")]);
    }

    [Fact]
    public async Task An_order_too_large_for_decimal_18_2_is_quarantined_and_the_other_orders_commit_now_and_later()
    {
        _lake.Writer.Append("silver.orders", Order("o1", "12.50"));
        _lake.Writer.Append("silver.orders", Order("o2", "99999999999999999999.99"));
        _lake.Writer.Append("silver.orders", Order("o3", "7.00"));

        await _lake.FlushAsync();

        Assert.Equal(["o1", "o3"], (await _lake.QueryAsync("SELECT order_id FROM silver.orders ORDER BY 1")).Select(row => (string)row[0]!));
        var quarantined = Assert.Single(await _lake.QueryAsync(
            "SELECT table_name, column_name, reason, row_json, source, quarantined_at FROM bronze.quarantine"));
        Assert.Equal(("silver.orders", "total_amount", "out_of_range:total_amount"), ((string)quarantined[0]!, (string)quarantined[1]!, (string)quarantined[2]!));
        using (var json = JsonDocument.Parse((string)quarantined[3]!))
        {
            Assert.Equal("o2", json.RootElement.GetProperty("order_id").GetString());
            Assert.Equal("99999999999999999999.99", json.RootElement.GetProperty("total_amount").GetString());
        }
        Assert.Null(quarantined[4]);
        Assert.Equal((1L, 0), (_lake.StatusOf("silver.orders").QuarantinedRows, _lake.StatusOf("silver.orders").ConsecutiveFailures));

        _lake.Writer.Append("silver.orders", Order("o4", "3.10"));
        await _lake.FlushAsync();

        Assert.Equal(3, await _lake.CountAsync("silver.orders"));
        Assert.Equal(1, await _lake.CountAsync("bronze.quarantine"));
        Assert.Equal(0, _lake.Writer.BufferedRows);
    }

    [Fact]
    public async Task A_quarantined_bronze_row_keeps_its_source_position_and_the_position_is_committed()
    {
        var table = PlatformTables.Find("bronze.app_events")!;
        var good = DataPlatform.Grains.Lake.BronzeRows.Record("k"u8, true, "{}"u8, 1, 5, null, DateTimeOffset.UtcNow, "kafka");
        var bad = (object?[])good.Clone();
        bad[table.IndexOf("load_timestamp")] = null;
        _lake.Writer.Append(table.Name, good, "kafka:topic_app_events-1", 5);
        _lake.Writer.Append(table.Name, bad, "kafka:topic_app_events-1", 6);

        await _lake.FlushAsync();

        Assert.Equal(1, await _lake.CountAsync(table.Name));
        var quarantined = Assert.Single(await _lake.QueryAsync("SELECT reason, source, source_offset FROM bronze.quarantine"));
        Assert.Equal(("missing_value:load_timestamp", "kafka:topic_app_events-1", 6L), ((string)quarantined[0]!, (string)quarantined[1]!, (long)quarantined[2]!));
        // A replay of both records is refused by the recorded position: nothing is written or quarantined twice.
        _lake.Writer.Append(table.Name, good, "kafka:topic_app_events-1", 5);
        _lake.Writer.Append(table.Name, bad, "kafka:topic_app_events-1", 6);
        await _lake.FlushAsync();
        Assert.Equal((1L, 1L), (await _lake.CountAsync(table.Name), await _lake.CountAsync("bronze.quarantine")));
    }

    [Fact]
    public async Task A_gold_snapshot_merge_quarantines_the_row_it_cannot_write_and_commits_the_rest()
    {
        _lake.Writer.Upsert("gold.daily_sales", "d1", [Day, 2L, 30m, 15m]);
        _lake.Writer.Upsert("gold.daily_sales", "d2", [Day.AddDays(-1), 1L, 1e17m, 1e17m]);

        await _lake.FlushAsync();

        Assert.Equal([(Day, 30m)], (await _lake.QueryAsync("SELECT date, revenue FROM gold.daily_sales")).Select(row => (ToDate(row[0]), (decimal)row[1]!)));
        var quarantined = Assert.Single(await _lake.QueryAsync("SELECT table_name, reason FROM bronze.quarantine"));
        Assert.Equal(("gold.daily_sales", "out_of_range:revenue"), ((string)quarantined[0]!, (string)quarantined[1]!));

        _lake.Writer.Upsert("gold.daily_sales", "d1", [Day, 3L, 45m, 15m]);
        await _lake.FlushAsync();
        Assert.Equal(45m, (decimal)(await _lake.QueryAsync("SELECT revenue FROM gold.daily_sales"))[0][0]!);
    }

    [Fact]
    public async Task A_keyed_merge_returns_the_row_it_cannot_write_for_the_quarantine_and_commits_the_rest()
    {
        var table = _lake.Lake.Open(TestLake.Totals);
        var outcome = await table.MergeAsync([[Day, "u1", 10m], [Day, "u2", 1e16m], [Day, "u3", 5m]], default);

        Assert.NotNull(outcome.Version);
        Assert.Equal("out_of_range:total", Assert.Single(outcome.Quarantined).Reason);
        var rows = await ParquetDataFile.ReadAsync(table.Root, table.Definition, table.Snapshot.Files.Values.Single(), default);
        Assert.Equal(["u1", "u3"], rows.Select(row => (string)row[1]!).Order());
    }

    [Fact]
    public async Task The_parquet_writer_refusing_a_row_finds_it_by_bisection_and_writes_the_others()
    {
        var table = _lake.Lake.Open(TestLake.Events);
        var rows = Enumerable.Range(0, 37).Select(Event).ToList();
        // A boxed long in an int column: the Parquet writer's own cast fails on that row only (the conformer would have rejected it).
        rows[23] = With(rows[23], "quantity", 23L);

        var write = await ParquetDataFile.WriteSalvagingAsync(table.Root, table.Definition, Day, rows, _lake.Lake.Clock, default);

        var refused = Assert.Single(write.Refused);
        Assert.Equal(23, refused.Index);
        Assert.IsType<InvalidCastException>(refused.Error);
        Assert.Equal(36, FileStatistics.RowsOf(write.File!.Stats));
        var read = await ParquetDataFile.ReadAsync(table.Root, table.Definition, write.File, default);
        Assert.DoesNotContain("e23", read.Select(row => (string)row[0]!));
        var quarantined = QuarantinedRow.Of(table.Definition, refused.Row, refused.Error);
        Assert.StartsWith("write_failed:InvalidCastException", quarantined.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bisection_finds_every_failing_item_and_lets_io_errors_through()
    {
        var probes = 0;
        Task Probe(IReadOnlyList<int> items)
        {
            probes++;
            return items.Contains(13) || items.Contains(77) ? throw new ArgumentException("bad item") : Task.CompletedTask;
        }

        var failing = await RowBisection.FindFailingAsync(Enumerable.Range(0, 100).ToList(), Probe, ParquetDataFile.IsRowProblem);

        Assert.Equal([13, 77], failing.Select(failure => failure.Index));
        Assert.All(failing, failure => Assert.IsType<ArgumentException>(failure.Error));
        Assert.True(probes < 40, $"{probes} probes");
        Assert.Empty(await RowBisection.FindFailingAsync([1, 2, 3], _ => Task.CompletedTask, ParquetDataFile.IsRowProblem));
        await Assert.ThrowsAsync<IOException>(() =>
            RowBisection.FindFailingAsync([1, 2, 3], _ => throw new IOException("disk full"), ParquetDataFile.IsRowProblem));
    }

    [Fact]
    public async Task Items_that_fail_only_together_are_all_returned()
    {
        static Task Probe(IReadOnlyList<int> items) => items.Contains(1) && items.Contains(2) ? throw new InvalidOperationException("pair") : Task.CompletedTask;

        var failing = await RowBisection.FindFailingAsync([1, 2], Probe, ParquetDataFile.IsRowProblem);

        Assert.Equal([0, 1], failing.Select(failure => failure.Index));
    }

    [Fact]
    public void A_quarantined_row_is_always_text_that_fits_its_table()
    {
        var row = With(With(Event(1), "value", double.NaN), "user_id", "x\udc00y");
        var quarantined = QuarantinedRow.Of(TestLake.Events, RowConformer.Conform(TestLake.Events, [row]).Rejected.Single());

        var conformance = RowConformer.Conform(PlatformTables.Find(PlatformTables.Quarantine)!, [quarantined.ToRow(DateTimeOffset.UtcNow)]);

        Assert.Empty(conformance.Rejected);
        using var json = JsonDocument.Parse(quarantined.RowJson);
        Assert.Equal("NaN", json.RootElement.GetProperty("value").GetString());
        Assert.Equal("x\\uDC00y", json.RootElement.GetProperty("user_id").GetString());
    }

    internal static object?[] Order(string id, string total)
    {
        var table = PlatformTables.Find("silver.orders")!;
        var row = new object?[table.Columns.Count];
        row[table.IndexOf("order_id")] = id;
        row[table.IndexOf("total_amount")] = total;
        row[table.IndexOf("order_date")] = "2026-11-23T10:00:00Z";
        row[table.IndexOf("op")] = "c";
        row[table.IndexOf("ts_ms")] = 1_763_892_000_000L;
        row[table.IndexOf("is_deleted")] = false;
        row[table.IndexOf("event_date")] = Day;
        return row;
    }

    private static DateOnly ToDate(object? value) => value switch
    {
        DateOnly date => date,
        DateTime time => DateOnly.FromDateTime(time),
        _ => DateOnly.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
    };
}
