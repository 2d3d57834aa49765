using System.Globalization;
using System.Text;
using Confluent.Kafka;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Lake;
using DataPlatform.KafkaTests.Checkpoints;
using DataPlatform.Lake.Sql;
using DataPlatform.Silo.Hosting;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;
using DataPlatform.Simulator.Running;
using DataPlatform.Streaming.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.KafkaTests.Lake;

/// <summary>
/// A seeded run through Kafka into the lake: bronze holds every produced record, silver each event once,
/// gold the grains' figures, and another process reads every committed file with DuckDB.
/// </summary>
public sealed class LakeAcceptanceTests : IAsyncLifetime
{
    private readonly string _lakeRoot = Path.Combine(Path.GetTempPath(), $"dp-acceptance-lake-{Guid.NewGuid():N}");
    private readonly int _kafkaPort = FreePorts.Next();
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _app = PlatformHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Orleans:SiloPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            "--Orleans:ClusterId", $"lake-{Guid.NewGuid():N}",
            "--Platform:Profile", "Development",
            "--Kafka:EmbeddedPort", _kafkaPort.ToString(CultureInfo.InvariantCulture),
            "--Kafka:Partitions", "4",
            "--Simulator:Enabled", "false",
            "--Lake:Root", _lakeRoot,
            "--Lake:FlushInterval", "00:00:01",
            "--Lake:GoldSnapshotInterval", "00:00:02",
            "--Logging:LogLevel:Default", "Warning",
            "--Logging:LogLevel:DataPlatform.Grains.Checkpoints", "Information",
        ]);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_lakeRoot, recursive: true);
    }

    [Fact]
    public async Task A_seeded_run_lands_in_bronze_silver_and_gold_and_every_committed_file_reads_from_another_process()
    {
        var options = new SimulatorOptions { Seed = 11, Users = 150, Rate = 40, ConcurrentSessions = 60, DuplicateFraction = 0.01, MalformedFraction = 0.01 };
        var start = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-1).AddHours(23).AddMinutes(58), TimeSpan.Zero);
        // The run happened yesterday: its "future" timestamps are in the past now, so they are left out.
        var records = new EventGenerator(options, start).Take(8_000).Where(record => record.ExpectedReason != "future_timestamp").ToList();
        await using (var sink = new KafkaRecordSink($"127.0.0.1:{_kafkaPort}"))
        {
            foreach (var record in records)
            {
                await sink.SendAsync(record, CancellationToken.None);
            }
            await sink.FlushAsync(CancellationToken.None);
            Assert.Equal(records.Count, sink.Delivered);
        }

        var userEvents = records.Where(record => !record.IsMalformed && record.Event is AppEvent or ClickstreamEvent)
            .DistinctBy(record => EventIdOf(record.Event!)).ToList();
        var grains = _app.Services.GetRequiredService<IGrainFactory>();
        var kpiGrain = grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope);
        var statistics = _app.Services.GetRequiredService<KafkaStreamStatistics>();
        // Rows wait in the writer until a checkpoint commits them: the figures are read once one holds everything.
        await CheckpointSettling.SettleAsync(grains,
            async () => (await kpiGrain.GetSnapshotAsync()).TotalEvents >= userEvents.Count && statistics.TotalLag == 0, TimeSpan.FromMinutes(2));
        await kpiGrain.PublishGoldAsync();
        var writer = _app.Services.GetRequiredService<LakeWriter>();
        await writer.FlushSnapshotsAsync(CancellationToken.None);
        var engine = _app.Services.GetRequiredService<LakeQueryEngine>();

        // Bronze: every produced record of each topic, as received; the malformed ones also as dead letters.
        foreach (var topic in Topics.All)
        {
            var produced = records.Count(record => record.Topic == topic);
            Assert.Equal((long)produced, await ScalarAsync(engine, $"SELECT count(*) FROM bronze.{topic["topic_".Length..]}"));
        }
        var reasons = await engine.ExecuteAsync("SELECT topic, reason, count(*) FROM bronze.dead_letter GROUP BY ALL ORDER BY ALL", null, default);
        var expectedReasons = records.Where(record => record.IsMalformed).GroupBy(record => (record.Topic, record.ExpectedReason!))
            .OrderBy(group => group.Key).Select(group => (group.Key.Topic, group.Key.Item2, (long)group.Count()));
        Assert.Equal(expectedReasons, reasons.Rows.Select(row => (row[0].GetString()!, row[1].GetString()!, row[2].GetInt64())));
        Assert.Equal(0L, await ScalarAsync(engine,
            "SELECT count(*) FROM (SELECT kafka_partition, kafka_offset FROM bronze.app_events GROUP BY ALL HAVING count(*) > 1)"));

        // Silver: each valid event once, with its event date and hour.
        var appEvents = userEvents.Count(record => record.Event is AppEvent);
        var clicks = userEvents.Count(record => record.Event is ClickstreamEvent);
        Assert.True(records.Count(record => record.Event is AppEvent) > appEvents, "the run should include duplicates");
        Assert.Equal((long)appEvents, await ScalarAsync(engine, "SELECT count(*) FROM silver.app_events"));
        Assert.Equal((long)appEvents, await ScalarAsync(engine, "SELECT count(DISTINCT event_id) FROM silver.app_events"));
        Assert.Equal((long)clicks, await ScalarAsync(engine, "SELECT count(DISTINCT event_id) FROM silver.clickstream"));
        Assert.Equal((long)clicks, await ScalarAsync(engine, "SELECT count(*) FROM silver.clickstream"));
        Assert.Equal(0L, await ScalarAsync(engine,
            "SELECT count(*) FROM silver.app_events WHERE event_date <> CAST(event_timestamp AS DATE) OR event_hour <> hour(event_timestamp)"));

        // Gold: the daily summary per date equals the reference figures and the KPI grain's summary.
        var byDate = userEvents.GroupBy(record => DateOnly.FromDateTime(TimeOf(record.Event!).UtcDateTime)).ToList();
        Assert.True(byDate.Count >= 2, "the run should cross midnight");
        var summary = await engine.ExecuteAsync("SELECT date, total_users, new_users, total_events, orders, revenue FROM gold.daily_summary ORDER BY date", null, default);
        foreach (var day in byDate)
        {
            var row = Assert.Single(summary.Rows, row => ToDate(row[0]) == day.Key);
            Assert.Equal((long)day.Count(), row[3].GetInt64());
            Assert.Equal((long)day.Select(record => UserOf(record.Event!)).Distinct().Count(), row[1].GetInt64());
            var expected = await kpiGrain.GetDailySummaryAsync(day.Key);
            Assert.Equal((expected.TotalUsers, expected.NewUsers, expected.TotalEvents, expected.Orders, expected.Revenue), (row[1].GetInt64(), row[2].GetInt64(), row[3].GetInt64(), row[4].GetInt64(), row[5].GetDecimal()));
        }

        // Gold: hourly metrics of the closed hours, product performance and segments as the grains hold them.
        var watermark = (await kpiGrain.GetSnapshotAsync()).Watermark!.Value;
        var closedHours = (await kpiGrain.GetHourlyMetricsAsync()).Where(metric => metric.WindowStart.AddHours(1) <= watermark).ToList();
        Assert.NotEmpty(closedHours);
        var goldHours = await engine.ExecuteAsync(
            "SELECT metric_date, metric_hour, event_type, app_type, total_events FROM gold.event_metrics ORDER BY ALL", null, default);
        Assert.Equal(
            closedHours.Select(metric => $"{metric.WindowStart.UtcDateTime:yyyy-MM-dd HH} {metric.EventType} {metric.AppType} {metric.TotalEvents}").Order(StringComparer.Ordinal),
            goldHours.Rows.Select(row => $"{ToDate(row[0]):yyyy-MM-dd} {row[1].GetInt32():00} {row[2].GetString()} {row[3].GetString()} {row[4].GetInt64()}").Order(StringComparer.Ordinal));
        Assert.Equal(closedHours.Sum(metric => metric.TotalEvents), await ScalarAsync(engine, "SELECT sum(total_events) FROM gold.event_metrics"));
        // Every product with sales, as the grain holds it; a product whose orders all stopped counting keeps a row of zero sales.
        var products = await kpiGrain.GetProductPerformanceAsync();
        Assert.NotEmpty(products);
        var goldProducts = (await engine.ExecuteAsync("SELECT product_id, orders, units_sold, revenue FROM gold.product_performance", null, default)).Rows
            .ToDictionary(row => row[0].GetString()!, row => new ProductSales { Orders = row[1].GetInt64(), UnitsSold = row[2].GetInt64(), Revenue = row[3].GetDecimal() }, StringComparer.Ordinal);
        Assert.All(products, product => Assert.Equal(product.Value, goldProducts.GetValueOrDefault(product.Key)));
        Assert.All(goldProducts.Where(product => !products.ContainsKey(product.Key)), product => Assert.Equal(new ProductSales(), product.Value));
        var users = userEvents.Select(record => UserOf(record.Event!)).Distinct().ToList();
        Assert.Equal((long)users.Count, await ScalarAsync(engine, "SELECT count(*) FROM gold.user_segments"));
        foreach (var user in users.Take(20))
        {
            var profile = await grains.GetGrain<IUserGrain>(user).GetProfileAsync();
            var row = (await engine.ExecuteAsync($"SELECT segment, total_revenue, total_events FROM gold.user_segments WHERE user_id = '{user}'", null, default)).Rows.Single();
            Assert.Equal((profile!.Segment, profile.TotalRevenue, profile.TotalEvents), (row[0].GetString(), row[1].GetDecimal(), row[2].GetInt64()));
        }

        // Another process: DuckDB reads every committed file, with the hash and row count the log recorded.
        var verify = await ChildProcess.RunAsync("dp-lake.dll", ["verify", "--root", _lakeRoot], TimeSpan.FromMinutes(2));
        Assert.True(verify.ExitCode == 0, verify.Output + verify.Errors);
        var tables = JsonDocument.Parse(verify.Output).RootElement.EnumerateArray().ToDictionary(table => table.GetProperty("table").GetString()!);
        Assert.Equal(records.Count(record => record.Topic == Topics.AppEvents), tables["bronze.app_events"].GetProperty("rows").GetInt64());
        Assert.Equal(appEvents, tables["silver.app_events"].GetProperty("rows").GetInt64());
        Assert.All(tables.Values, table => Assert.Empty(table.GetProperty("problems").EnumerateArray()));
        var files = await ChildProcess.RunAsync("dp-lake.dll", ["files", "silver.app_events", "--root", _lakeRoot], TimeSpan.FromMinutes(1));
        Assert.True(files.ExitCode == 0, files.Errors);
        var listed = files.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(tables["silver.app_events"].GetProperty("files").GetInt32(), listed.Length);
        Assert.All(listed, path => Assert.True(File.Exists(path) && path.EndsWith(".parquet", StringComparison.Ordinal), path));
        var query = await ChildProcess.RunAsync("dp-lake.dll", ["query", "SELECT count(*) AS n FROM silver.clickstream", "--root", _lakeRoot], TimeSpan.FromMinutes(1));
        Assert.True(query.ExitCode == 0, query.Errors);
        Assert.Equal(clicks, JsonDocument.Parse(query.Output).RootElement.GetProperty("rows")[0][0].GetInt64());
    }

    [Fact]
    public async Task A_record_with_bytes_that_are_not_utf8_is_kept_byte_for_byte_in_bronze_and_a_missing_key_stays_null()
    {
        // Valid JSON around bytes that are not UTF-8 (0xC3 0x28, 0xFF) in a field the decoder does not read.
        var value = Encoding.UTF8.GetBytes($$"""{"event_id":"bin-1","user_id":"bin-user","event_type":"app_open","app_type":"ios","timestamp":"{{DateTimeOffset.UtcNow:O}}","note":""")
            .Concat(new byte[] { (byte)'"', 0xC3, 0x28, 0xFF }).Concat("\"}"u8.ToArray()).ToArray();
        byte[] key = [0x75, 0xFE, 0x31];
        var hex = Convert.ToHexString(value);
        using (var producer = new ProducerBuilder<byte[]?, byte[]>(new ProducerConfig { BootstrapServers = $"127.0.0.1:{_kafkaPort}" }).Build())
        {
            await producer.ProduceAsync(Topics.AppEvents, new Message<byte[]?, byte[]> { Key = key, Value = value });
            await producer.ProduceAsync(Topics.AppEvents, new Message<byte[]?, byte[]> { Key = null, Value = value });
        }
        var writer = _app.Services.GetRequiredService<LakeWriter>();
        var engine = _app.Services.GetRequiredService<LakeQueryEngine>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Equals(2L, await ScalarAsync(engine, $"SELECT count(*) FROM bronze.app_events WHERE hex(record_value) = '{hex}'")))
        {
            Assert.True(DateTime.UtcNow < deadline, "the two records did not reach bronze.app_events within a minute");
            await Task.Delay(250);
            await writer.FlushAppendsAsync(CancellationToken.None);
        }

        var keys = await engine.ExecuteAsync(
            $"SELECT hex(record_key), record_key IS NULL FROM bronze.app_events WHERE hex(record_value) = '{hex}' ORDER BY record_key NULLS LAST", null, default);
        Assert.Equal((Convert.ToHexString(key), false), (keys.Rows[0][0].GetString(), keys.Rows[0][1].GetBoolean()));
        Assert.Equal((null, true), (keys.Rows[1][0].GetString(), keys.Rows[1][1].GetBoolean()));
        // The decoder refuses bytes that are not UTF-8 anywhere: both are dead letters with the same bytes.
        while (!Equals(2L, await ScalarAsync(engine, $"SELECT count(*) FROM bronze.dead_letter WHERE hex(record_value) = '{hex}'")))
        {
            Assert.True(DateTime.UtcNow < deadline, "the two dead letters did not reach bronze.dead_letter within a minute");
            await Task.Delay(250);
            await writer.FlushAppendsAsync(CancellationToken.None);
        }
        var letters = await engine.ExecuteAsync(
            $"SELECT hex(record_key), reason FROM bronze.dead_letter WHERE hex(record_value) = '{hex}' ORDER BY record_key NULLS LAST", null, default);
        Assert.Equal([Convert.ToHexString(key), null], letters.Rows.Select(row => row[0].GetString()));
        Assert.All(letters.Rows, row => Assert.Equal("invalid_utf8", row[1].GetString()));
    }

    /// <summary>The first value of the answer: whole numbers as long, others as decimal (their JSON form is exact).</summary>
    private static async Task<object?> ScalarAsync(LakeQueryEngine engine, string sql) =>
        (await engine.ExecuteAsync(sql, null, CancellationToken.None)).Rows[0][0] switch
        {
            { ValueKind: JsonValueKind.Null } => null,
            var value when value.TryGetInt64(out var whole) => whole,
            var value => value.GetDecimal(),
        };

    /// <summary>A DATE in its JSON form, "yyyy-MM-dd".</summary>
    private static DateOnly ToDate(JsonElement value) =>
        DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static string EventIdOf(object record) => record switch
    {
        AppEvent e => e.EventId,
        ClickstreamEvent e => e.EventId,
        _ => throw new ArgumentException("not a user event", nameof(record)),
    };

    private static string UserOf(object record) => record switch
    {
        AppEvent e => e.UserId,
        ClickstreamEvent e => e.UserId,
        _ => throw new ArgumentException("not a user event", nameof(record)),
    };

    private static DateTimeOffset TimeOf(object record) => record switch
    {
        AppEvent e => e.Timestamp,
        ClickstreamEvent e => e.Timestamp,
        _ => throw new ArgumentException("not a user event", nameof(record)),
    };
}
