using DataPlatform.Analytics.Cdc;
using DataPlatform.Analytics.Star;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Cdc;

public sealed class StarSchemaTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day0 = DateOnly.FromDateTime(T0.UtcDateTime);

    private static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    private static CdcChange Change(string table, string op, DateTimeOffset at, Dictionary<string, string?> image) => new()
    {
        Op = op,
        Source = new CdcSource { Table = table },
        TsMs = Ms(at),
        Before = op == "d" ? image : null,
        After = op == "d" ? null : image,
    };

    private static CdcChange Customer(string op, DateTimeOffset at, string? city = null) =>
        Change("customers", op, at, city is null ? new() { ["customer_id"] = "u1" } : new() { ["customer_id"] = "u1", ["city"] = city, ["country"] = "DE" });

    private static RowHistory HistoryOf(params CdcChange[] changes)
    {
        var history = new RowHistory();
        foreach (var change in changes)
        {
            history.Add(change);
        }
        return history;
    }

    [Fact]
    public void A_history_replays_changes_in_source_time_whatever_order_they_arrived_in_and_keeps_a_change_once()
    {
        var history = HistoryOf(
            Change("customers", "u", T0.AddHours(2), new() { ["customer_id"] = "u1", ["city"] = "paris" }),
            Customer("c", T0, "berlin"),
            Change("customers", "u", T0.AddHours(1), new() { ["customer_id"] = "u1", ["state"] = "BE" }));

        Assert.False(history.Add(Customer("c", T0, "berlin")));
        Assert.Equal(3, history.Count);
        var states = history.States().ToList();
        Assert.Equal([T0, T0.AddHours(1), T0.AddHours(2)], states.Select(state => state.At));
        Assert.Equal(("berlin", "BE", "DE"), (states[1]["city"], states[1]["state"], states[1]["country"]));
        Assert.Equal(("paris", "BE", "DE"), (states[2]["city"], states[2]["state"], states[2]["country"]));
        Assert.Equal("berlin", history.At(T0.AddMinutes(90))!["city"]);
        Assert.Null(history.At(T0.AddMinutes(-1)));
    }

    [Fact]
    public void A_customer_gets_a_version_per_change_of_a_tracked_attribute_and_a_delete_closes_the_current_one()
    {
        var history = HistoryOf(
            Customer("c", T0, "berlin"),
            Change("customers", "u", T0.AddHours(1), new() { ["customer_id"] = "u1", ["first_name"] = "Ann" }),
            Change("customers", "u", T0.AddHours(2), new() { ["customer_id"] = "u1", ["city"] = "paris" }),
            Customer("d", T0.AddHours(3)),
            Customer("c", T0.AddHours(4), "rome"));

        var versions = CustomerVersions.Of("u1", history, new Dictionary<DateOnly, string>());

        Assert.Equal(
            [("u1#1", "berlin", T0, (DateTimeOffset?)T0.AddHours(2)), ("u1#2", "paris", T0.AddHours(2), T0.AddHours(3)), ("u1#3", "rome", T0.AddHours(4), null)],
            versions.Select(version => (version.CustomerKey, version.City, version.ValidFrom, version.ValidTo)));
        Assert.Equal([false, false, true], versions.Select(version => version.IsCurrent));
    }

    [Fact]
    public void A_segment_change_starts_a_version_at_the_midnight_of_its_date()
    {
        var history = HistoryOf(Customer("c", T0, "berlin"));
        var segments = new Dictionary<DateOnly, string> { [Day0] = "Regular", [Day0.AddDays(2)] = "Active" };

        var versions = CustomerVersions.Of("u1", history, segments);

        var midnight = new DateTimeOffset(Day0.AddDays(2).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        Assert.Equal(
            [("Regular", T0, (DateTimeOffset?)midnight), ("Active", midnight, null)],
            versions.Select(version => (version.Segment, version.ValidFrom, version.ValidTo)));
    }

    [Fact]
    public void A_change_that_arrives_late_is_put_in_its_place_in_the_versions()
    {
        var onTime = HistoryOf(Customer("c", T0, "berlin"), Change("customers", "u", T0.AddHours(2), new() { ["customer_id"] = "u1", ["city"] = "paris" }));
        var late = HistoryOf(Customer("c", T0, "berlin"), Change("customers", "u", T0.AddHours(2), new() { ["customer_id"] = "u1", ["city"] = "paris" }));
        late.Add(Change("customers", "u", T0.AddHours(1), new() { ["customer_id"] = "u1", ["city"] = "lyon" }));

        Assert.Equal(["berlin", "paris"], CustomerVersions.Of("u1", onTime, new Dictionary<DateOnly, string>()).Select(version => version.City));
        Assert.Equal(["berlin", "lyon", "paris"], CustomerVersions.Of("u1", late, new Dictionary<DateOnly, string>()).Select(version => version.City));
    }

    [Fact]
    public void A_product_costs_what_its_state_at_the_order_date_says_and_its_first_cost_before_that()
    {
        var history = HistoryOf(
            Change("products", "r", T0, new() { ["product_id"] = "p1", ["cost"] = "6.00" }),
            Change("products", "u", T0.AddDays(1), new() { ["product_id"] = "p1", ["cost"] = "7.50" }));

        Assert.Equal(6.00m, ProductCosts.At(history, T0.AddHours(5)));
        Assert.Equal(7.50m, ProductCosts.At(history, T0.AddDays(2)));
        Assert.Equal(6.00m, ProductCosts.At(history, T0.AddDays(-3)));
        Assert.Null(ProductCosts.At(new RowHistory(), T0));
    }

    [Fact]
    public void A_product_tells_which_tracked_orders_take_another_cost_after_a_change()
    {
        var product = new CdcRow();
        product.RecordHistory(Change("products", "r", T0, new() { ["product_id"] = "p1", ["cost"] = "6.00" }));
        Assert.Equal(6.00m, product.TrackOrder("o-early", T0.AddHours(1)));
        Assert.Equal(6.00m, product.TrackOrder("o-late", T0.AddDays(3)));

        product.RecordHistory(Change("products", "u", T0.AddDays(2), new() { ["product_id"] = "p1", ["cost"] = "8.00" }));

        Assert.Equal(new Dictionary<string, decimal?> { ["o-early"] = 6.00m, ["o-late"] = 8.00m }, product.TrackedOrderCosts());
    }

    [Fact]
    public void An_order_has_facts_once_it_is_known_and_its_profit_once_every_product_cost_is()
    {
        var order = new CdcRow();
        order.ApplyItem(new OrderItemState { OrderItemId = "oi-1", ProductId = "p1", Quantity = 2, UnitPrice = 10m, Discount = 1m });
        order.ApplyItem(new OrderItemState { OrderItemId = "oi-2", ProductId = "p2", Quantity = 1, UnitPrice = 5m });
        Assert.Null(order.Facts("o-1").Order);

        order.Apply(Change("orders", "c", T0, new()
        {
            ["order_id"] = "o-1", ["customer_id"] = "u1", ["order_date"] = T0.ToString("O"), ["status"] = "paid", ["total_amount"] = "24.00", ["payment_method"] = "card",
        }));
        Assert.Equal(["p1", "p2"], order.ProductsToPrice(T0));
        order.PricedProduct("p1", 6m);
        order.PricedProduct("p2", null);

        var (fact, lines) = order.Facts("o-1");
        Assert.Equal((2, 3L, 24m, (decimal?)null, (decimal?)null), (fact!.Lines, fact.Units, fact.LinesRevenue, fact.LinesCost, fact.Profit));
        Assert.Equal((19m, (decimal?)12m, (decimal?)7m), (lines[0].Revenue, lines[0].Cost, lines[0].Profit));
        Assert.Equal(20261120, fact.DateKey);

        order.PricedProduct("p2", 3m);
        (fact, _) = order.Facts("o-1");
        Assert.Equal(((decimal?)15m, (decimal?)9m), (fact!.LinesCost, fact.Profit));
        Assert.Empty(order.ProductsToPrice(T0));
        Assert.Equal(["p1", "p2"], order.ProductsToPrice(T0.AddDays(1)));
    }

    [Fact]
    public void An_order_tells_which_published_lines_are_gone()
    {
        var order = new CdcRow();
        order.Apply(Change("orders", "c", T0, new() { ["order_id"] = "o-1", ["customer_id"] = "u1", ["order_date"] = T0.ToString("O"), ["total_amount"] = "5.00" }));
        order.ApplyItem(new OrderItemState { OrderItemId = "oi-1", ProductId = "p1", Quantity = 1, UnitPrice = 5m });
        var (fact, lines) = order.Facts("o-1");
        Assert.Empty(order.Published(fact, lines));

        order.ApplyItem(new OrderItemState { OrderItemId = "oi-1", ProductId = "p1", Quantity = 1, UnitPrice = 5m, Deleted = true });
        order.Apply(Change("orders", "d", T0.AddHours(1), new() { ["order_id"] = "o-1" }));
        (fact, lines) = order.Facts("o-1");

        Assert.Null(fact);
        Assert.Equal(["oi-1"], order.Published(fact, lines));
        Assert.False(order.OrderPublished);
    }

    [Fact]
    public void The_calendar_uses_iso_weeks_and_weekdays()
    {
        var sunday = new CalendarDay(new DateOnly(2027, 1, 3));

        Assert.Equal((20270103, 1, 1, 7, "Sunday", 53, 2026, true), (sunday.DateKey, sunday.Quarter, sunday.Month, sunday.DayOfWeek, sunday.DayName, sunday.IsoWeek, sunday.IsoYear, sunday.IsWeekend));
        Assert.Equal((4, 3, false), (new CalendarDay(new DateOnly(2026, 11, 26)).Quarter, new CalendarDay(new DateOnly(2026, 11, 25)).DayOfWeek, new CalendarDay(new DateOnly(2026, 11, 25)).IsWeekend));
    }

    [Fact]
    public async Task Every_version_of_a_customer_is_a_row_the_dimension_takes()
    {
        using var lake = new Lake.TestLake();
        var table = lake.Open(DataPlatform.Lake.Catalog.PlatformTables.Get(Grains.Lake.GoldRows.DimCustomers));
        var history = HistoryOf(Customer("c", T0, "berlin"), Customer("d", T0.AddDays(1)), Customer("c", T0.AddDays(2), "rome"));
        var rows = CustomerVersions.Of("u1", history, new Dictionary<DateOnly, string> { [Day0] = "Regular" }).Select(version => Grains.Lake.GoldRows.Of(version).Row).ToList();

        var outcome = await table.MergeAsync(rows, default);

        Assert.Empty(outcome.Quarantined);
        Assert.Equal(2, table.Snapshot.RowCount);
        using var engine = new DataPlatform.Lake.Sql.LakeQueryEngine(lake.Options, DataPlatform.Lake.Catalog.PlatformTables.All);
        var read = await engine.ExecuteAsync("SELECT customer_key, city, epoch_ms(valid_to), is_current FROM gold.dim_customers ORDER BY customer_key", null, default);
        Assert.Equal(["u1#1", "u1#2"], read.Rows.Select(row => row[0].GetString()));
    }
}
