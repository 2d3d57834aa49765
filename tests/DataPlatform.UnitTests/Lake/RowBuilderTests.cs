using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Ingestion;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Schema;

namespace DataPlatform.UnitTests.Lake;

/// <summary>Every row builder fills its table's columns in order, with values of the column types.</summary>
public sealed class RowBuilderTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 23, 59, 30, TimeSpan.Zero);

    private static void AssertFits(string table, object?[] row)
    {
        var definition = PlatformTables.Find(table)!;
        Assert.Equal(definition.Columns.Count, row.Length);
        var conformance = RowConformer.Conform(definition, [(object?[])row.Clone()]);
        Assert.Empty(conformance.Rejected);
        var conformed = Assert.Single(conformance.Rows);
        for (var i = 0; i < row.Length; i++)
        {
            // Builders hand over values of the column's own type already; only CDC images arrive as text.
            if (row[i] is not null && row[i] is not string || definition.Columns[i].Type == LakeColumnType.String)
            {
                Assert.Equal(row[i], conformed[i]);
            }
        }
    }

    [Fact]
    public void Bronze_and_dead_letter_rows_fit_their_tables()
    {
        AssertFits("bronze.app_events", BronzeRows.Record("u1"u8, true, "{}"u8, 3, 42, At, At, BronzeRows.FromKafka));
        AssertFits("bronze.users", BronzeRows.Record(default, false, "x"u8, null, null, null, At, BronzeRows.InProcess));
        AssertFits(BronzeRows.DeadLetters, BronzeRows.DeadLetter(new DeadLetter("topic_users", "k"u8.ToArray(), "not_json", "{"u8.ToArray(), At, 1, 7, At)));
    }

    [Fact]
    public void Silver_rows_fit_their_tables_with_event_date_and_hour()
    {
        var app = SilverRows.Of(new AppEvent
        {
            EventId = "e1", UserId = "u1", SessionId = "s1", EventType = "purchase", AppType = "ios", Timestamp = At, Value = 9.5,
            Properties = new Dictionary<string, string> { ["sku"] = "A-1" },
        });
        AssertFits(SilverRows.AppEvents, app);
        Assert.Equal(23, app[^2]);
        Assert.Equal(new DateOnly(2026, 11, 22), app[^1]);
        Assert.Equal("{\"sku\":\"A-1\"}", app[7]);
        AssertFits(SilverRows.Clickstream, SilverRows.Of(new ClickstreamEvent
        {
            EventId = "c1", UserId = "u1", SessionId = "s1", PageUrl = "/", Action = "click", Timestamp = At, Device = "mobile",
        }));
        AssertFits(SilverRows.Users, SilverRows.Of(new UserProfileEvent { UserId = "u1", Timestamp = At, Email = "a@b.c", SignupAt = At }));
        AssertFits(SilverRows.Sessions, SilverRows.Of(new SessionSnapshot
        {
            SessionId = "s1", UserId = "u1", StartedAt = At, LastActivity = At.AddMinutes(3), DurationS = 180, Events = 4, PageViews = 2,
            Clicks = 1, IsBounce = false, Converted = true, EntryPage = "/", ExitPage = "/cart", Path = ["/", "/cart"], Closed = true,
        }));
    }

    [Fact]
    public void Cdc_rows_take_the_after_image_typed_and_the_before_image_of_a_delete()
    {
        var order = new Dictionary<string, string?>
        {
            ["order_id"] = "o1", ["customer_id"] = "u1", ["order_date"] = "2026-11-22T10:00:00Z", ["status"] = "paid",
            ["total_amount"] = "12.50", ["shipping_address"] = "1 Road", ["payment_method"] = "card",
            ["created_at"] = "2026-11-22T10:00:00Z", ["updated_at"] = "2026-11-22T10:05:00Z",
        };
        var table = SilverRows.CdcTableOf("orders");
        Assert.Equal("silver.orders", table);
        Assert.Null(SilverRows.CdcTableOf("payments"));
        var definition = PlatformTables.Find(table!)!;
        var (rows, rejected) = RowConformer.Conform(definition,
        [
            SilverRows.Of(new CdcChange { Op = "u", Source = new CdcSource { Table = "orders" }, TsMs = At.ToUnixTimeMilliseconds(), After = order }, table!),
            SilverRows.Of(new CdcChange { Op = "d", Source = new CdcSource { Table = "orders" }, TsMs = At.ToUnixTimeMilliseconds(), Before = order }, table!),
        ]);
        Assert.Empty(rejected);
        Assert.Equal(12.50m, rows[0][definition.IndexOf("total_amount")]);
        Assert.Equal(new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc), rows[0][definition.IndexOf("order_date")]);
        Assert.Equal(false, rows[0][definition.IndexOf("is_deleted")]);
        Assert.Equal(true, rows[1][definition.IndexOf("is_deleted")]);
        Assert.Equal("o1", rows[1][definition.IndexOf("order_id")]);
    }

    [Fact]
    public void Gold_rows_fit_their_tables()
    {
        AssertFits(GoldRows.EventMetrics, GoldRows.Of(new EventMetric
        {
            WindowStart = At.AddMinutes(-59).AddSeconds(-30), EventType = "click", AppType = "web", TotalEvents = 3, UniqueUsers = 2, ValueSum = 0,
        }).Row);
        AssertFits(GoldRows.DailySummary, GoldRows.Of(new DailySummary
        {
            Date = new DateOnly(2026, 11, 22), TotalUsers = 3, NewUsers = 1, Sessions = 2, TotalEvents = 9, Orders = 1, Revenue = 5m,
        }).Row);
        AssertFits(GoldRows.DailySales, GoldRows.Sales(new DateOnly(2026, 11, 22), new OrderDayStats { Orders = 2, Revenue = 30m }).Row);
        AssertFits(GoldRows.ProductPerformance, GoldRows.Of("p1", new ProductSales { Orders = 1, UnitsSold = 2, Revenue = 3m }).Row);
        var user = new DataPlatform.Analytics.Users.UserAggregate();
        user.Apply(new UserActivity { EventId = "e1", UserId = "u1", EventType = "purchase", Timestamp = At, Value = 20 });
        AssertFits(GoldRows.UserSegments, GoldRows.Segment("u1", user).Row);
        var lifetime = GoldRows.LifetimeValue("u1", user).Row;
        AssertFits(GoldRows.CustomerLifetimeValue, lifetime);
        Assert.Equal(20m, lifetime[1]);
        AssertFits(GoldRows.OpsMetrics, GoldRows.Ops(
            new KpiSnapshot { At = At, EventsPerSecond = 1, TotalEvents = 2, ActiveUsers = 1, ActiveSessions = 1, DeadLetters = 0 }, new FixedWriterStatus()).Row);
        var alert = new Alert
        {
            Id = "error_share-202611221000", Kind = "error_share", Direction = "above", OpenedAt = At, ClosedAt = At.AddMinutes(5),
            Value = 0.5, Baseline = 0.02, Mad = 0.001, Threshold = 0.1, Peak = 0.6,
        };
        var (key, row) = GoldRows.Of(alert);
        AssertFits(GoldRows.Alerts, row);
        Assert.Equal(alert.Id, key);
        Assert.Equal("closed", row[PlatformTables.Get(GoldRows.Alerts).IndexOf("state")]);
    }

    [Fact]
    public void Feature_snapshot_rows_fit_their_table_with_counts_by_type_as_json_and_keys_that_name_their_user()
    {
        var user = new DataPlatform.Analytics.Users.UserAggregate();
        user.Apply(new UserActivity { EventId = "e1", UserId = "u1", SessionId = "s1", EventType = "purchase", Timestamp = At, Value = 20 });
        user.Apply(new UserActivity { EventId = "e2", UserId = "u1", SessionId = "s1", EventType = "add_to_cart", Timestamp = At.AddMinutes(-1) });
        var snapshot = Assert.Single(user.TakeFeatureSnapshots("u1", At, new DataPlatform.Analytics.Segments.SegmentRules()));

        var (key, row) = GoldRows.Of(snapshot);

        AssertFits(GoldRows.UserFeatures, row);
        var definition = PlatformTables.Get(GoldRows.UserFeatures);
        Assert.Equal(new DateOnly(2026, 11, 22), row[definition.IndexOf("date")]);
        Assert.Equal("""{"add_to_cart":1,"purchase":1}""", row[definition.IndexOf("events_by_type_1h")]);
        Assert.Equal(20m, row[definition.IndexOf("monetary_90d")]);
        Assert.True(GoldRows.FeatureKeysOf("u1")(key));
        Assert.False(GoldRows.FeatureKeysOf("u")(key));
        Assert.Contains(UserRows.Erased, table => table.Name == GoldRows.UserFeatures);
    }

    private sealed class FixedWriterStatus : ILakeWriterStatus
    {
        public bool IsFlushing => false;
        public DateTimeOffset? LastFlushAt => At.AddSeconds(-3);
        public long BufferedRows => 0;
        public long RowsCommitted => 10;
        public long FilesCommitted => 2;
        public int ConsecutiveFailures => 0;
        public IReadOnlyList<TableWriterStatus> Tables => [];
    }
}
