using System.Text;
using System.Text.Json;
using DataPlatform.Contracts.Grains;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;

namespace DataPlatform.GrainTests;

/// <summary>
/// Valid records at the edges of every range, and records just past them, through the edge, the grains
/// and the lake: the valid ones are applied everywhere, the others are dead letters with their reason,
/// and a gold row whose sum no Parquet column can hold goes to the quarantine while its table keeps flushing.
/// </summary>
[Collection(TwoSiloClusterDefinition.Name)]
public sealed class ExtremeRecordsThroughTheLakeTests(TwoSiloCluster fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private const int HugeLines = 10;

    private static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    private static string Order(string id, string customer, string total, DateTimeOffset at) => $$"""
        {"op":"c","source":{"table":"orders"},"ts_ms":{{at.ToUnixTimeMilliseconds()}},
         "after":{"order_id":"{{id}}","customer_id":"{{customer}}","order_date":"{{at:O}}","status":"paid","total_amount":"{{total}}"} }
        """;

    private static string Line(string id, string order, string product, string quantity, string price, DateTimeOffset at) => $$"""
        {"op":"c","source":{"table":"order_items"},"ts_ms":{{at.ToUnixTimeMilliseconds()}},
         "after":{"order_item_id":"{{id}}","order_id":"{{order}}","product_id":"{{product}}","quantity":"{{quantity}}","unit_price":"{{price}}","discount":"0"} }
        """;

    [Fact]
    public async Task Extremes_apply_everywhere_or_go_to_the_dead_letters_and_every_table_keeps_flushing()
    {
        var deadLetters = new CollectingDeadLetterSink();
        var ingestor = fixture.Ingestor(deadLetters);
        var at = DateTimeOffset.UtcNow.AddMinutes(-2);
        const string customer = "extreme-customer";

        async Task IngestAsync(string topic, string key, string json, bool accepted) =>
            Assert.Equal(accepted, await ingestor.IngestAsync(topic, key, Json(json), CancellationToken.None));

        // Accepted: the largest values, a 60 KB property, a customer created in year 1.
        await IngestAsync("topic_app_events", customer,
            $$"""{"event_id":"extreme-max","user_id":"{{customer}}","event_type":"purchase","app_type":"ios","timestamp":"{{at:O}}","value":1e9}""", true);
        await IngestAsync("topic_app_events", customer,
            $$"""{"event_id":"extreme-min","user_id":"{{customer}}","event_type":"refund","app_type":"ios","timestamp":"{{at:O}}","value":-1e9,"properties":{"note":"{{new string('x', 60_000)}}"} }""", true);
        await IngestAsync("topic_cdc_changes", customer,
            $$"""{"op":"c","source":{"table":"customers"},"ts_ms":{{at.ToUnixTimeMilliseconds()}},"after":{"customer_id":"{{customer}}","created_at":"0001-01-01T00:00:00Z"} }""", true);
        for (var i = 0; i < HugeLines; i++)
        {
            await IngestAsync("topic_cdc_changes", $"extreme-order-{i}", Order($"extreme-order-{i}", customer, "1000000000.00", at), true);
            await IngestAsync("topic_cdc_changes", $"extreme-line-{i}", Line($"extreme-line-{i}", $"extreme-order-{i}", "extreme-huge", "1000000", "1000000000", at), true);
        }
        await IngestAsync("topic_cdc_changes", "extreme-line-normal", Line("extreme-line-normal", "extreme-order-0", "extreme-normal", "1", "5.00", at), true);

        // Refused at the edge, each with its reason.
        await IngestAsync("topic_app_events", customer,
            $$"""{"event_id":"extreme-past","user_id":"{{customer}}","event_type":"purchase","app_type":"ios","timestamp":"{{at:O}}","value":1e30}""", false);
        await IngestAsync("topic_cdc_changes", "extreme-order-bad", Order("extreme-order-bad", customer, "99999999999999999999.99", at), false);
        Assert.Equal(["out_of_range:value", "out_of_range:after.total_amount"], deadLetters.Letters.Select(letter => letter.Reason));

        // Live state holds every accepted figure exactly, the product's 10^16 included.
        var kpi = fixture.Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope);
        var products = await Eventually.HoldsAsync(kpi.GetProductPerformanceAsync,
            sales => sales.TryGetValue("extreme-huge", out var huge) && huge.UnitsSold == HugeLines * 1_000_000L && sales.ContainsKey("extreme-normal"),
            Deadline, "the extreme product's sales");
        Assert.Equal(10_000_000_000_000_000m, products["extreme-huge"].Revenue);
        var profile = await Eventually.HoldsAsync(() => fixture.Client.GetGrain<IUserGrain>(customer).GetProfileAsync(),
            p => p?.TotalEvents == 2 && p.TotalRevenue == 1_000_000_000m + HugeLines * 1_000_000_000m, Deadline, "the customer's revenue");
        Assert.Equal(1, profile!.Purchases);

        await fixture.FlushLakeAsync();
        using var lake = new LakeQueryEngine(new LakeOptions { Root = fixture.LakeRoot }, PlatformTables.All);
        async Task<JsonElement[]> RowsAsync(string sql) => [.. (await lake.ExecuteAsync(sql, null, CancellationToken.None)).Rows];

        Assert.Equal(2, (await RowsAsync($"SELECT event_id FROM silver.app_events WHERE user_id = '{customer}'")).Length);
        Assert.Equal(HugeLines, (await RowsAsync("SELECT order_id FROM silver.orders WHERE order_id LIKE 'extreme-order-%'")).Length);
        Assert.Equal(HugeLines + 1, (await RowsAsync("SELECT order_item_id FROM silver.order_items WHERE order_item_id LIKE 'extreme-line-%'")).Length);
        Assert.Equal("0001-01-01 00:00:00", (await RowsAsync($"SELECT created_at FROM silver.customers WHERE customer_id = '{customer}'")).Single()[0].GetString());

        // The product whose revenue no decimal(18,2) holds is quarantined; its neighbours are in gold.
        var gold = await RowsAsync("SELECT product_id FROM gold.product_performance WHERE product_id LIKE 'extreme-%'");
        Assert.Equal(["extreme-normal"], gold.Select(row => row[0].GetString()));
        var quarantined = await RowsAsync("SELECT reason FROM bronze.quarantine WHERE table_name = 'gold.product_performance' AND row_json LIKE '%extreme-huge%'");
        Assert.Equal("out_of_range:revenue", quarantined.First()[0].GetString());
        Assert.Single(await RowsAsync($"SELECT customer_id FROM gold.customer_lifetime_value WHERE customer_id = '{customer}'"));

        // The table keeps flushing: a later product reaches gold.
        await IngestAsync("topic_cdc_changes", "extreme-line-later", Line("extreme-line-later", "extreme-order-1", "extreme-later", "2", "3.50", at), true);
        await Eventually.HoldsAsync(kpi.GetProductPerformanceAsync, sales => sales.ContainsKey("extreme-later"), Deadline, "the later product");
        await fixture.FlushLakeAsync();
        Assert.Single(await RowsAsync("SELECT product_id FROM gold.product_performance WHERE product_id = 'extreme-later'"));
    }
}
