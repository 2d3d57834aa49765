using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DataPlatform.ServingTests.Http;

[Collection(RunningPlatformDefinition.Name)]
public sealed class LakeEndpointTests(RunningPlatform platform)
{
    private Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) => platform.GetJsonAsync(path, expected);

    private async Task<(HttpStatusCode Status, JsonElement Body)> QueryAsync(object request)
    {
        using var response = await platform.Http.PostAsJsonAsync("/query", request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(body).RootElement.Clone());
    }

    /// <summary>Waits until the table has committed rows (the simulator feeds the platform continuously).</summary>
    private async Task<JsonElement> TableWithRowsAsync(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var table = await GetJsonAsync($"/tables/{name}");
            if (table.GetProperty("row_count").GetInt64() > 0)
            {
                return table;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{name} got no rows within a minute");
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task Tables_lists_every_table_with_its_figures_and_filters_by_layer()
    {
        await TableWithRowsAsync("bronze.app_events");
        var tables = (await GetJsonAsync("/tables")).EnumerateArray().ToList();
        Assert.Equal(27, tables.Count);
        var bronze = tables.Single(table => table.GetProperty("name").GetString() == "bronze.app_events");
        foreach (var field in new[] { "name", "layer", "description", "owner", "row_count", "file_count", "size_bytes", "version", "last_updated" })
        {
            Assert.True(bronze.TryGetProperty(field, out _), $"missing {field}");
        }
        Assert.True(bronze.GetProperty("file_count").GetInt32() > 0);

        var gold = (await GetJsonAsync("/tables?layer=gold")).EnumerateArray().Select(table => table.GetProperty("layer").GetString()).ToList();
        Assert.Equal(12, gold.Count);
        Assert.All(gold, layer => Assert.Equal("gold", layer));
        var bad = await GetJsonAsync("/tables?layer=platinum", HttpStatusCode.BadRequest);
        Assert.Contains("bronze, silver or gold", bad.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_describes_schema_partitions_quality_and_lineage()
    {
        var table = await TableWithRowsAsync("silver.app_events");
        var schema = table.GetProperty("schema").EnumerateArray().ToDictionary(column => column.GetProperty("name").GetString()!);
        Assert.Equal("string", schema["event_id"].GetProperty("type").GetString());
        Assert.False(schema["event_id"].GetProperty("nullable").GetBoolean());
        Assert.Equal("timestamp", schema["event_timestamp"].GetProperty("type").GetString());
        Assert.Equal("date", schema["event_date"].GetProperty("type").GetString());
        Assert.Equal(["event_date"], table.GetProperty("partition_columns").EnumerateArray().Select(column => column.GetString()));
        Assert.NotEmpty(table.GetProperty("partitions").EnumerateArray());
        Assert.Equal(["bronze.app_events"], table.GetProperty("upstream").EnumerateArray().Select(name => name.GetString()));
        Assert.Contains("silver.sessions", table.GetProperty("downstream").EnumerateArray().Select(name => name.GetString()));
        var quality = table.GetProperty("quality").GetProperty("latest");
        Assert.True(quality.GetProperty("rows").GetInt64() > 0);
        Assert.Equal(0, quality.GetProperty("null_percent").GetProperty("event_id").GetDouble());
        Assert.Equal(0, quality.GetProperty("duplicate_keys").GetInt64());

        var users = await GetJsonAsync("/tables/silver.users");
        var email = users.GetProperty("schema").EnumerateArray().Single(column => column.GetProperty("name").GetString() == "email");
        Assert.True(email.GetProperty("pii").GetBoolean());
        await GetJsonAsync("/tables/silver.nothing", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Preview_and_history_show_rows_and_commits()
    {
        await TableWithRowsAsync("bronze.clickstream");
        var preview = await GetJsonAsync("/tables/bronze.clickstream/preview?limit=5");
        Assert.Equal(5, preview.GetProperty("rows").GetArrayLength());
        Assert.Contains("record_value", preview.GetProperty("columns").EnumerateArray().Select(column => column.GetProperty("name").GetString()));
        await GetJsonAsync("/tables/bronze.clickstream/preview?limit=0", HttpStatusCode.BadRequest);

        var history = (await GetJsonAsync("/tables/bronze.clickstream/history")).EnumerateArray().ToList();
        Assert.Equal("CREATE TABLE", history[^1].GetProperty("operation").GetString());
        Assert.Equal(0, history[^1].GetProperty("version").GetInt64());
        var write = history.First(commit => commit.GetProperty("operation").GetString() == "WRITE");
        Assert.True(write.GetProperty("files_added").GetInt32() > 0);
        Assert.True(write.GetProperty("rows_added").GetInt64() > 0);
        Assert.True(history[0].GetProperty("version").GetInt64() > history[^1].GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Query_answers_read_only_sql_and_refuses_the_rest_with_a_message()
    {
        await TableWithRowsAsync("silver.app_events");
        var (status, body) = await QueryAsync(new { sql = "SELECT event_type, count(*) AS n FROM silver.app_events GROUP BY event_type ORDER BY n DESC", limit = 3 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["event_type", "n"], body.GetProperty("columns").EnumerateArray().Select(column => column.GetProperty("name").GetString()));
        Assert.True(body.GetProperty("row_count").GetInt32() is > 0 and <= 3);
        Assert.True(body.TryGetProperty("truncated", out _));
        Assert.True(body.TryGetProperty("elapsed_ms", out _));

        var version = (await GetJsonAsync("/tables/silver.app_events")).GetProperty("version").GetInt64();
        var (travelStatus, travel) = await QueryAsync(new { sql = "SELECT count(*) FROM silver.app_events VERSION AS OF 0" });
        Assert.Equal(HttpStatusCode.OK, travelStatus);
        Assert.Equal(0, travel.GetProperty("rows")[0][0].GetInt64());
        Assert.True(version > 0);

        foreach (var sql in new[]
        {
            "DELETE FROM silver.app_events", "COPY (SELECT 1) TO '/tmp/x.csv'", "ATTACH '/tmp/x.db'", "INSTALL httpfs", "LOAD httpfs",
            "PRAGMA version", "SET threads = 1", "SELECT * FROM read_text('/etc/passwd')", "SELECT * FROM nope.table", "",
        })
        {
            var (refused, problem) = await QueryAsync(new { sql });
            Assert.Equal(HttpStatusCode.BadRequest, refused);
            Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()), sql);
        }
        var (tooMany, _) = await QueryAsync(new { sql = "SELECT 1", limit = 1_000_000 });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
        using var notJson = await platform.Http.PostAsync("/query", new StringContent("{sql: nope", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Quality_scores_every_table_and_counts_the_silos_declared_expectations()
    {
        await TableWithRowsAsync("silver.orders");
        var quality = await GetJsonAsync("/quality");
        var tables = quality.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(27, tables.Count);
        Assert.InRange(quality.GetProperty("score").GetDouble(), 0, 100);
        var orders = tables.Single(table => table.GetProperty("table").GetString() == "silver.orders");
        Assert.True(orders.GetProperty("rows").GetInt64() > 0);
        Assert.InRange(orders.GetProperty("score").GetDouble(), 0, 100);
        var declared = orders.GetProperty("expectations").EnumerateArray().ToList();
        Assert.Equal(["amount_present", "amount_range", "status_known"], declared.Select(expectation => expectation.GetProperty("name").GetString()));
        Assert.All(declared, expectation => Assert.True(expectation.GetProperty("violations").GetInt64() >= 0));
        var detail = await GetJsonAsync("/tables/silver.orders");
        Assert.True(detail.GetProperty("quality").GetProperty("recent").GetProperty("expectations").TryGetProperty("status_known", out _));
    }

    [Fact]
    public async Task Catalog_and_lineage_cover_every_layer()
    {
        await TableWithRowsAsync("bronze.app_events");
        var catalog = await GetJsonAsync("/catalog");
        Assert.Equal(["bronze", "silver", "gold"], catalog.GetProperty("layers").EnumerateArray().Select(layer => layer.GetProperty("layer").GetString()));
        Assert.Equal(27, catalog.GetProperty("tables").GetArrayLength());

        var lineage = await GetJsonAsync("/catalog/lineage/silver.sessions");
        Assert.Equal(["silver.app_events", "silver.clickstream"], lineage.GetProperty("upstream").EnumerateArray().Select(name => name.GetString()));
        Assert.Contains("gold.daily_summary", lineage.GetProperty("downstream").EnumerateArray().Select(name => name.GetString()));
        Assert.Contains("bronze.app_events", lineage.GetProperty("all_upstream").EnumerateArray().Select(name => name.GetString()));
        await GetJsonAsync("/catalog/lineage/gold.nothing", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Health_reports_flush_age_and_freshness_per_layer()
    {
        await TableWithRowsAsync("silver.app_events");
        // /health answers from figures refreshed in the background: wait until they show both layers' commits.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var health = await GetJsonAsync("/health");
        while (!(health.GetProperty("lake").GetProperty("freshness_s") is var layers
            && layers.TryGetProperty("bronze", out var bronze) && bronze.ValueKind == JsonValueKind.Number
            && layers.TryGetProperty("silver", out var silver) && silver.ValueKind == JsonValueKind.Number))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the health figures did not show the lake's commits: {health}");
            await Task.Delay(250);
            health = await GetJsonAsync("/health");
        }
        var lake = health.GetProperty("lake");
        Assert.True(lake.GetProperty("flush_age_s").GetDouble() >= 0);
        Assert.True(lake.GetProperty("freshness_s").GetProperty("bronze").GetDouble() >= 0);
        Assert.True(lake.GetProperty("freshness_s").GetProperty("silver").GetDouble() >= 0);
        Assert.Contains(health.GetProperty("checks").EnumerateArray(), check => check.GetProperty("name").GetString() == "lake"
            && check.GetProperty("status").GetString() == "healthy");
    }
}
