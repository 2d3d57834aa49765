using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataPlatform.Contracts.Events;
using DataPlatform.Lake.Catalog;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;

namespace DataPlatform.ServingTests.Http;

/// <summary>
/// A platform whose seeded simulator sends a fixed number of records, a fifth of its orders and customers breaking a
/// data-quality rule, with the shipped rules except that an order total out of range blocks.
/// </summary>
public sealed class RuleBreakingPlatform : RunningPlatform
{
    public const string Rules = """
        {
          "silver.orders": [
            { "name": "amount_present", "rule": "not_null", "column": "total_amount" },
            { "name": "amount_range", "rule": "range", "column": "total_amount", "min": 0, "max": 100000, "blocking": true },
            { "name": "status_known", "rule": "values_in", "column": "status", "values": ["pending", "paid", "shipped", "delivered", "cancelled"] }
          ],
          "silver.customers": [
            { "name": "email_format", "rule": "regex", "column": "email", "pattern": "[^@\\s]+@[^@\\s]+\\.[^@\\s]+" }
          ]
        }
        """;

    public RuleBreakingPlatform() => File.WriteAllText(RulesFile, Rules);

    public string RulesFile { get; } = Path.Combine(Path.GetTempPath(), $"dp-rules-{Guid.NewGuid():N}.json");

    protected override SimulatorOptions Simulation
    {
        get
        {
            var options = base.Simulation;
            options.Rate = 1_000;
            options.Count = 4_000;
            options.RuleBreakingFraction = 0.2;
            return options;
        }
    }

    protected override IReadOnlyList<string> ExtraArguments => ["--Lake:ExpectationsFile", RulesFile];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        File.Delete(RulesFile);
    }

    /// <summary>Every record the simulator sends, regenerated from its seed.</summary>
    public IReadOnlyList<SimulatedRecord> Sent => [.. new EventGenerator(Simulation, SimulatorStart).Take(Simulation.Count!.Value)];
}

/// <summary>
/// A seeded run with rule-breaking rows: the commits of silver.orders and silver.customers count exactly the
/// violations per rule that the records sent hold, the rows a blocking rule failed are in bronze.quarantine with
/// the rule and nowhere in silver, and GET /quality scores the table as those figures say.
/// </summary>
public sealed class RuleBreakingRunTests(RuleBreakingPlatform platform) : IClassFixture<RuleBreakingPlatform>
{
    private static readonly HashSet<string> KnownStatuses = ["pending", "paid", "shipped", "delivered", "cancelled"];
    private static readonly Regex Email = new(@"^(?:[^@\s]+@[^@\s]+\.[^@\s]+)$", RegexOptions.None, TimeSpan.FromSeconds(1));

    [Fact]
    public async Task The_violations_per_rule_the_quarantined_rows_and_the_score_are_those_of_the_records_sent()
    {
        var orders = RowsAfterEachChange(platform.Sent, "orders", "order_id");
        var customers = RowsAfterEachChange(platform.Sent, "customers", "customer_id");
        var missing = orders.Count(row => row.GetValueOrDefault("total_amount") is null);
        var outOfRange = orders.Count(row => Amount(row) is < 0 or > 100_000m);
        var unknownStatus = orders.Count(row => row.GetValueOrDefault("status") is { } status && !KnownStatuses.Contains(status));
        var failing = orders.Count(row => row.GetValueOrDefault("total_amount") is null || Amount(row) is < 0 or > 100_000m
            || (row.GetValueOrDefault("status") is { } status && !KnownStatuses.Contains(status)));
        var badEmails = customers.Count(row => row.GetValueOrDefault("email") is { } email && !Email.IsMatch(email));
        Assert.True(missing > 0 && outOfRange > 0 && unknownStatus > 0 && badEmails > 0, $"the run breaks every rule: {missing}, {outOfRange}, {unknownStatus}, {badEmails}");

        var ordersQuality = await WaitForQualityAsync("silver.orders", orders.Count);
        Assert.Equal(new Dictionary<string, long> { ["amount_present"] = missing, ["amount_range"] = outOfRange, ["status_known"] = unknownStatus },
            ordersQuality.Expectations);
        Assert.Equal((orders.Count - outOfRange, (long)outOfRange, (long)failing), (ordersQuality.Rows, ordersQuality.Quarantined, ordersQuality.Failures));
        var customersQuality = await WaitForQualityAsync("silver.customers", customers.Count);
        Assert.Equal(new Dictionary<string, long> { ["email_format"] = badEmails }, customersQuality.Expectations);

        // The rows the blocking rule failed: in the quarantine with the rule, not in silver.
        Assert.Equal(outOfRange, await CountAsync($"SELECT count(*) FROM bronze.quarantine WHERE table_name = 'silver.orders' AND reason = 'expectation:amount_range' AND column_name = 'total_amount'"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM silver.orders WHERE total_amount > 100000"));
        Assert.Equal(missing, await CountAsync("SELECT count(*) FROM silver.orders WHERE total_amount IS NULL"));

        // GET /quality: the table's score is the share of its rows that failed no rule, over the commits it sums.
        Assert.True(ordersQuality.Commits <= 20, $"the run's {ordersQuality.Commits} commits of silver.orders all count in GET /quality");
        var table = (await platform.GetJsonAsync("/quality")).GetProperty("tables").EnumerateArray()
            .Single(entry => entry.GetProperty("table").GetString() == "silver.orders");
        Assert.Equal(Math.Round(100.0 * (orders.Count - failing) / orders.Count, 1), table.GetProperty("score").GetDouble());
        Assert.Equal(failing, table.GetProperty("expectation_failures").GetInt64());
        Assert.Equal(outOfRange, table.GetProperty("quarantined_rows").GetInt64());
        Assert.Equal(outOfRange, table.GetProperty("expectations").EnumerateArray()
            .Single(expectation => expectation.GetProperty("name").GetString() == "amount_range").GetProperty("violations").GetInt64());
    }

    /// <summary>The row after each change of a source table, in the order sent (what each silver row holds).</summary>
    private static List<Dictionary<string, string?>> RowsAfterEachChange(IEnumerable<SimulatedRecord> records, string table, string key)
    {
        var current = new Dictionary<string, Dictionary<string, string?>>();
        var rows = new List<Dictionary<string, string?>>();
        foreach (var change in records.Select(record => record.Event).OfType<CdcChange>().Where(change => change.Source.Table == table))
        {
            var id = (change.After ?? change.Before)![key]!;
            var row = current.TryGetValue(id, out var known) ? new Dictionary<string, string?>(known) : new Dictionary<string, string?>();
            foreach (var (column, value) in change.After ?? (known is null ? change.Before! : new Dictionary<string, string?>()))
            {
                row[column] = value;
            }
            current[id] = row;
            rows.Add(row);
        }
        return rows;
    }

    private static decimal? Amount(Dictionary<string, string?> row) =>
        decimal.TryParse(row.GetValueOrDefault("total_amount"), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) ? amount : null;

    private sealed record Quality(int Commits, long Rows, long Quarantined, long Failures, Dictionary<string, long> Expectations);

    /// <summary>The quality of every commit of a table summed, once its rows and quarantined rows reach <paramref name="rows"/>.</summary>
    private async Task<Quality> WaitForQualityAsync(string tableName, int rows)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (true)
        {
            var commits = (await platform.GetJsonAsync($"/tables/{tableName}/history?limit=200")).EnumerateArray()
                .Where(commit => commit.TryGetProperty("quality", out var quality) && quality.ValueKind == JsonValueKind.Object)
                .Select(commit => commit.GetProperty("quality")).ToList();
            var sum = new Quality(commits.Count, commits.Sum(q => q.GetProperty("rows").GetInt64()), commits.Sum(q => q.GetProperty("quarantined_rows").GetInt64()),
                commits.Sum(q => q.GetProperty("expectation_failures").GetInt64()),
                commits.SelectMany(q => q.GetProperty("expectations").EnumerateObject()).GroupBy(e => e.Name).ToDictionary(g => g.Key, g => g.Sum(e => e.Value.GetInt64())));
            if (sum.Rows + sum.Quarantined >= rows)
            {
                return sum;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{tableName} holds {sum.Rows} + {sum.Quarantined} quarantined of {rows} rows after 90 s.");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private async Task<long> CountAsync(string sql)
    {
        using var response = await platform.Http.PostAsJsonAsync("/query", new { sql });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{sql}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("rows")[0][0].GetInt64();
    }
}
