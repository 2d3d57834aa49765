using DataPlatform.Analytics.Cdc;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Cdc;

public sealed class CdcRowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static CdcChange Change(string op, long ts, Dictionary<string, string?>? after, Dictionary<string, string?>? before = null) => new()
    {
        Op = op,
        Source = new CdcSource { Table = "orders" },
        TsMs = ts,
        Before = before,
        After = after,
    };

    private static Dictionary<string, string?> Order(string status, string total = "120.50") => new()
    {
        ["order_id"] = "o-1",
        ["customer_id"] = "u1",
        ["order_date"] = "2026-11-20T10:00:00.0000000+00:00",
        ["status"] = status,
        ["total_amount"] = total,
    };

    [Fact]
    public void An_order_that_only_has_items_so_far_is_not_empty()
    {
        var row = new CdcRow();
        Assert.True(row.IsEmpty);

        row.ApplyItem(new OrderItemState { OrderItemId = "oi-1", ProductId = "p-0001", Quantity = 1, UnitPrice = 5m });

        Assert.False(row.IsEmpty);
        Assert.False(row.Exists);
    }

    [Fact]
    public void Create_then_partial_update_keeps_every_column_with_the_new_values()
    {
        var row = new CdcRow();
        row.Apply(Change("c", 1, Order("pending")));
        row.Apply(Change("u", 2, new() { ["order_id"] = "o-1", ["status"] = "paid" }));

        var order = row.OrderNow("o-1")!;
        Assert.Equal("paid", order.Status);
        Assert.Equal(120.50m, order.TotalAmount);
        Assert.Equal("u1", order.CustomerId);
        Assert.True(order.Counts);
    }

    [Fact]
    public void An_older_change_never_moves_the_row_back()
    {
        var row = new CdcRow();
        row.Apply(Change("u", 5, Order("shipped")));

        Assert.False(row.Apply(Change("u", 4, Order("pending"))));
        Assert.Equal("shipped", row.OrderNow("o-1")!.Status);
    }

    [Fact]
    public void A_deleted_or_cancelled_order_does_not_count()
    {
        var cancelled = new CdcRow();
        cancelled.Apply(Change("c", 1, Order("cancelled")));
        var deleted = new CdcRow();
        deleted.Apply(Change("c", 1, Order("paid")));
        deleted.Apply(Change("d", 2, after: null, before: Order("paid")));

        Assert.False(cancelled.OrderNow("o-1")!.Counts);
        Assert.False(deleted.Exists);
        Assert.False(deleted.OrderNow("o-1")!.Counts);
    }

    [Fact]
    public void A_row_without_a_usable_total_is_not_an_order()
    {
        var row = new CdcRow();
        row.Apply(Change("c", 1, Order("paid", total: "a lot")));

        Assert.Null(row.OrderNow("o-1"));
    }

    [Fact]
    public void Orders_today_and_customer_revenue_follow_status_changes_exactly()
    {
        var accumulator = new KpiAccumulator();
        var user = new UserAggregate();
        var row = new CdcRow();
        OrderState? counted = null;
        foreach (var change in new[] { Change("c", 1, Order("pending")), Change("u", 2, Order("paid")), Change("u", 3, Order("cancelled")) })
        {
            row.Apply(change);
            var now = row.OrderNow("o-1");
            accumulator.RecordOrderChange(counted, now);
            user.ApplyOrder(now!);
            counted = now;
        }
        var paidOnly = new CdcRow();
        paidOnly.Apply(Change("c", 1, Order("paid", "10.00") ));
        var other = paidOnly.OrderNow("o-1")! with { OrderId = "o-2" };
        accumulator.RecordOrderChange(null, other);
        user.ApplyOrder(other);

        var delta = accumulator.Drain();
        var day = delta.Orders[DateOnly.FromDateTime(T0.UtcDateTime)];
        Assert.Equal(1, day.Orders);
        Assert.Equal(10.00m, day.Revenue);
        Assert.Equal(10.00m, user.TotalRevenue);

        delta.UserLastSeen["u1"] = T0;
        var board = new KpiBoard();
        board.Apply(delta, T0, new KpiOptions());
        var snapshot = board.Snapshot(T0, new KpiOptions());
        Assert.Equal(1, snapshot.OrdersToday);
        Assert.Equal(10.00m, snapshot.RevenueToday);
        Assert.Equal(10.00m, snapshot.AvgOrderValue);
    }

    [Fact]
    public void Product_sales_follow_the_lines_of_orders_that_count()
    {
        var order = new CdcRow();
        OrderItemState Line(string id, string product, int quantity, decimal price, bool deleted = false) =>
            new() { OrderItemId = id, ProductId = product, Quantity = quantity, UnitPrice = price, Deleted = deleted };
        order.ApplyItem(Line("i1", "p-1", 2, 10m));
        Assert.Empty(order.TakeProductChanges(orderCounts: false)); // lines before the order itself: nothing yet

        order.Apply(Change("c", 1, Order("paid")));
        var created = order.TakeProductChanges(orderCounts: true);
        Assert.Equal(new ProductSales { Orders = 1, UnitsSold = 2, Revenue = 20m }, created["p-1"]);

        order.ApplyItem(Line("i2", "p-1", 1, 10m));
        order.ApplyItem(Line("i3", "p-2", 1, 5m));
        var more = order.TakeProductChanges(orderCounts: true);
        Assert.Equal(new ProductSales { Orders = 0, UnitsSold = 1, Revenue = 10m }, more["p-1"]);
        Assert.Equal(new ProductSales { Orders = 1, UnitsSold = 1, Revenue = 5m }, more["p-2"]);

        var cancelled = order.TakeProductChanges(orderCounts: false);
        Assert.Equal(new ProductSales { Orders = -1, UnitsSold = -3, Revenue = -30m }, cancelled["p-1"]);
        Assert.Equal(new ProductSales { Orders = -1, UnitsSold = -1, Revenue = -5m }, cancelled["p-2"]);
        Assert.Empty(order.TakeProductChanges(orderCounts: false));
    }

    [Fact]
    public void An_order_line_row_knows_its_order_and_product()
    {
        var line = new CdcRow();
        line.Apply(new CdcChange
        {
            Op = "c",
            Source = new CdcSource { Table = "order_items" },
            TsMs = 1,
            After = new Dictionary<string, string?>
            {
                ["order_item_id"] = "oi-1", ["order_id"] = "o-1", ["product_id"] = "p-9", ["quantity"] = "3", ["unit_price"] = "2.50", ["discount"] = "1.00",
            },
        });

        Assert.Equal("o-1", line.OrderIdOfItem);
        var item = line.ItemNow("oi-1")!;
        Assert.Equal(("p-9", 3, 2.50m, 6.50m), (item.ProductId, item.Quantity, item.UnitPrice, item.Amount));
    }

    [Fact]
    public void A_profile_update_sets_the_country_unless_it_is_older()
    {
        var user = new UserAggregate();
        user.ApplyProfile(new UserProfileEvent { UserId = "u1", Timestamp = T0, Country = "DE" });
        user.ApplyProfile(new UserProfileEvent { UserId = "u1", Timestamp = T0.AddMinutes(-1), Country = "FR" });

        Assert.Equal("DE", user.Country);
    }
}
