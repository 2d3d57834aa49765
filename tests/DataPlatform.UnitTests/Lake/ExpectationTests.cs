using DataPlatform.Contracts.Events;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Quality;

namespace DataPlatform.UnitTests.Lake;

/// <summary>
/// Declared data-quality expectations: each rule, the counts per rule in a commit's quality, the rows a blocking rule
/// sends to the quarantine with its name, the score, and an expectations file that does not fit stopping the silo
/// with a sentence.
/// </summary>
public sealed class ExpectationTests : IDisposable
{
    private const string Rules = """
        {
          "silver.orders": [
            { "name": "amount_present", "rule": "not_null", "column": "total_amount", "blocking": true },
            { "name": "amount_range", "rule": "range", "column": "total_amount", "min": 0, "max": 100000, "blocking": true },
            { "name": "status_known", "rule": "values_in", "column": "status", "values": ["pending", "paid", "shipped", "delivered", "cancelled"] },
            { "name": "id_format", "rule": "regex", "column": "order_id", "pattern": "o-[0-9]+" },
            { "name": "one_change", "rule": "unique", "columns": ["order_id", "ts_ms"] },
            { "name": "recent", "rule": "freshness", "column": "updated_at", "max_age": "01:00:00" }
          ]
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("dp-expectations-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string FileWith(string json)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static object?[] Order(string id, string? amount, string status, long tsMs, DateTimeOffset updated) => SilverRows.Of(new CdcChange
    {
        Op = "c",
        Source = new CdcSource { Table = "orders" },
        TsMs = tsMs,
        After = new Dictionary<string, string?>
        {
            ["order_id"] = id, ["customer_id"] = "u1", ["status"] = status, ["total_amount"] = amount,
            ["updated_at"] = updated.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        },
    }, "silver.orders");

    [Fact]
    public async Task A_commit_counts_violations_per_rule_quarantines_what_a_blocking_rule_fails_and_scores_the_rest()
    {
        var expectations = QualityExpectations.Load(FileWith(Rules), PlatformTables.All);
        using var lake = new LakeWriterHarness(expectations: expectations);
        var now = lake.Lake.Clock.GetUtcNow();
        foreach (var row in new[]
        {
            Order("o-1", "10.50", "paid", 1, now),
            Order("o-2", "-5", "paid", 2, now),          // amount_range, blocking
            Order("o-3", null, "lost", 3, now),          // amount_present (blocking) and status_known
            Order("o-4", "20", "lost", 4, now),          // status_known only
            Order("x-5", "30", "paid", 5, now),          // id_format
            Order("o-1", "10.50", "paid", 1, now),       // one_change: the same change twice
        })
        {
            lake.Writer.Append("silver.orders", row);
        }
        await lake.FlushAsync();

        var quality = (await lake.Grains.GetGrain<ITableGrain>("silver.orders").GetHistoryAsync(1))[0].Quality!;
        Assert.Equal(new Dictionary<string, long>
        {
            ["amount_present"] = 1, ["amount_range"] = 1, ["status_known"] = 2, ["id_format"] = 1, ["one_change"] = 1, ["recent"] = 0,
        }, quality.Expectations);
        Assert.Equal(5, quality.ExpectationFailures);
        Assert.Equal((4L, 2L), (quality.Rows, quality.QuarantinedRows));
        Assert.Equal(16.7, quality.Score);
        var quarantined = await lake.QueryAsync($"SELECT reason, column_name FROM {PlatformTables.Quarantine} ORDER BY reason");
        Assert.Equal([("expectation:amount_present", "total_amount"), ("expectation:amount_range", "total_amount")],
            quarantined.Select(row => ((string)row[0]!, (string)row[1]!)));
        Assert.Equal(4, await lake.CountAsync("silver.orders"));
    }

    [Fact]
    public async Task Freshness_counts_a_commit_whose_newest_value_is_older_than_allowed()
    {
        using var lake = new LakeWriterHarness(expectations: QualityExpectations.Load(FileWith(Rules), PlatformTables.All));
        lake.Writer.Append("silver.orders", Order("o-1", "1", "paid", 1, lake.Lake.Clock.GetUtcNow().AddHours(-2)));
        await lake.FlushAsync();

        var quality = (await lake.Grains.GetGrain<ITableGrain>("silver.orders").GetHistoryAsync(1))[0].Quality!;
        Assert.Equal(1, quality.Expectations["recent"]);
        Assert.Equal(0, quality.ExpectationFailures);
    }

    [Theory]
    [InlineData("""{ "silver.nothing": [] }""", "names silver.nothing, which is not a lake table")]
    [InlineData("""{ "silver.orders": [{ "name": "a", "rule": "not_null", "column": "amount" }] }""", "names column amount, which silver.orders does not have")]
    [InlineData("""{ "silver.orders": [{ "name": "a", "rule": "regex", "column": "status", "pattern": "(" }] }""", "has a pattern that is not a regular expression")]
    [InlineData("""{ "silver.orders": [{ "name": "a", "rule": "between", "column": "status" }] }""", "has rule 'between'; the rules are not_null, range")]
    [InlineData("""{ "silver.orders": [{ "name": "a", "rule": "not_null", "colum": "status" }] }""", "is not valid")]
    [InlineData("""{ "silver.orders": [{ "name": "a", "rule": "range", "column": "total_amount", "min": 5, "max": 1 }] }""", "needs min, max or both, with min at most max")]
    [InlineData("""{ "silver.orders": [{ "name": "a", "rule": "freshness", "column": "updated_at", "max_age": "01:00:00", "blocking": true }] }""", "cannot be blocking")]
    [InlineData("""{ "silver.orders": [{ "name": "a", "rule": "not_null", "column": "status" }, { "name": "a", "rule": "not_null", "column": "op" }] }""", "is declared twice")]
    [InlineData("""[1, 2""", "is not valid")]
    [InlineData("""{ "gold.user_segments": [] }""", "names gold.user_segments, whose rows are not checked")]
    [InlineData("""{ "bronze.quarantine": [] }""", "names bronze.quarantine, whose rows are not checked")]
    [InlineData("""{ "silver.orders": null }""", "gives silver.orders a null where a list of expectations belongs")]
    [InlineData("""{ "silver.orders": [null] }""", "gives silver.orders a null where a list of expectations belongs")]
    public void An_expectations_file_that_does_not_fit_stops_the_silo_with_a_sentence_naming_the_problem(string json, string problem)
    {
        var path = FileWith(json);

        var result = new LakeOptionsValidator().Validate(null, new LakeOptions { ExpectationsFile = path });

        Assert.True(result.Failed);
        var failure = Assert.Single(result.Failures!);
        Assert.Contains(path, failure, StringComparison.Ordinal);
        Assert.Contains(problem, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_silos_own_expectations_file_loads_and_a_missing_file_is_named()
    {
        var shipped = QualityExpectations.Load(Path.Combine(AppContext.BaseDirectory, "config", "expectations.json"), PlatformTables.All);
        Assert.Equal(["silver.app_events", "silver.customers", "silver.orders", "silver.users"], shipped.Tables.Select(table => table.Table.Name).Order());

        var missing = new LakeOptionsValidator().Validate(null, new LakeOptions { ExpectationsFile = Path.Combine(_directory, "none.json") });
        Assert.Contains("does not exist", Assert.Single(missing.Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void Conformed_cdc_rows_are_what_the_rules_see()
    {
        var table = PlatformTables.Find("silver.orders")!;
        var conformed = RowConformer.Conform(table, [Order("o-1", "12.5", "paid", 1, DateTimeOffset.UtcNow)]).Rows;
        var outcome = QualityExpectations.Load(FileWith(Rules), PlatformTables.All).For("silver.orders")!.Evaluate(conformed, DateTimeOffset.UtcNow);

        Assert.All(outcome.Violations.Values, count => Assert.Equal(0, count));
        Assert.Same(conformed, outcome.Kept);
    }
}
