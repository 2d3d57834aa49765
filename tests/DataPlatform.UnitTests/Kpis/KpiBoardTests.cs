using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Kpis;

public sealed class KpiBoardTests
{
    private static readonly DateTimeOffset EventTime = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly KpiOptions _options = new();

    private static KpiDelta Delta(long events, params (string User, string? Session, int Minute)[] seen)
    {
        var delta = new KpiDelta { Events = events };
        foreach (var (user, session, minute) in seen)
        {
            delta.UserLastSeen[user] = EventTime.AddMinutes(minute);
            if (session is not null)
            {
                delta.SessionLastSeen[session] = EventTime.AddMinutes(minute);
            }
        }
        return delta;
    }

    [Fact]
    public void An_empty_board_reports_zeros()
    {
        var snapshot = new KpiBoard().Snapshot(Now, _options);

        Assert.Equal(0, snapshot.TotalEvents);
        Assert.Equal(0, snapshot.ActiveUsers);
        Assert.Equal(0, snapshot.EventsPerSecond);
        Assert.Null(snapshot.Watermark);
    }

    [Fact]
    public void Active_users_are_those_within_five_minutes_of_the_watermark()
    {
        var board = new KpiBoard();
        board.Apply(Delta(3, ("old", "s-old", 0), ("edge", "s-edge", 5), ("new", "s-new", 10)), Now, _options);

        var snapshot = board.Snapshot(Now, _options);

        Assert.Equal(EventTime.AddMinutes(10), snapshot.Watermark);
        Assert.Equal(2, snapshot.ActiveUsers); // "edge" is exactly 5 minutes before the watermark
        Assert.Equal(3, snapshot.ActiveSessions);
        Assert.Equal(3, snapshot.TotalEvents);
    }

    [Fact]
    public void Deltas_from_several_silos_count_a_user_once_and_keep_the_latest_time()
    {
        var board = new KpiBoard();
        board.Apply(Delta(2, ("u1", "s1", 0), ("u2", "s2", 1)), Now, _options);
        board.Apply(Delta(2, ("u1", "s1", 8), ("u3", "s3", 8)), Now, _options);

        var snapshot = board.Snapshot(Now, _options);

        Assert.Equal(2, snapshot.ActiveUsers); // u1 (minute 8) and u3; u2 at minute 1 is out of the window
        Assert.Equal(3, snapshot.ActiveSessions);
        Assert.Equal(4, snapshot.TotalEvents);
    }

    [Fact]
    public void Sessions_stay_active_for_thirty_minutes_of_event_time()
    {
        var board = new KpiBoard();
        board.Apply(Delta(1, ("u1", "s1", 0)), Now, _options);
        board.Apply(Delta(1, ("u2", "s2", 30)), Now, _options);
        board.Apply(Delta(1, ("u3", "s3", 31)), Now, _options);

        Assert.Equal(2, board.Snapshot(Now, _options).ActiveSessions);
    }

    [Fact]
    public void Events_per_second_averages_the_last_ten_seconds_of_processing_time()
    {
        var board = new KpiBoard();
        board.Apply(new KpiDelta { Events = 50 }, Now, _options);
        board.Apply(new KpiDelta { Events = 30 }, Now.AddSeconds(5), _options);

        Assert.Equal(8, board.Snapshot(Now.AddSeconds(5), _options).EventsPerSecond);
        Assert.Equal(3, board.Snapshot(Now.AddSeconds(10), _options).EventsPerSecond);
        Assert.Equal(0, board.Snapshot(Now.AddSeconds(15), _options).EventsPerSecond);
    }

    [Fact]
    public void Dead_letters_add_up()
    {
        var board = new KpiBoard();
        board.Apply(new KpiDelta { DeadLetters = 2 }, Now, _options);
        board.Apply(new KpiDelta { DeadLetters = 5 }, Now, _options);

        Assert.Equal(7, board.Snapshot(Now, _options).DeadLetters);
    }

    [Fact]
    public void A_delta_whose_money_cannot_be_held_changes_nothing_and_its_other_parts_still_apply()
    {
        var day = DateOnly.FromDateTime(EventTime.UtcDateTime);
        var board = new KpiBoard();
        board.Apply(new KpiDelta { Orders = { [day] = new OrderDayStats { Orders = 1, Revenue = decimal.MaxValue } } }, Now, _options);
        var poisoned = Delta(50, ("u1", "s1", 1));
        poisoned.Orders[day] = new OrderDayStats { Orders = 1, Revenue = decimal.MaxValue };
        poisoned.Products["p1"] = new ProductSales { Orders = 1, UnitsSold = 2, Revenue = 10m };
        var before = board.Snapshot(Now, _options);

        // Applied whole or not at all: retrying it would otherwise count its 50 events once per attempt.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Throws<OverflowException>(() => board.Apply(poisoned, Now, _options));
        }
        Assert.Equivalent(before, board.Snapshot(Now, _options));
        Assert.Empty(board.ProductPerformance());

        // Part by part, only the figure that cannot be held stays out.
        foreach (var part in poisoned.Parts())
        {
            try
            {
                board.Apply(part, Now, _options);
            }
            catch (OverflowException)
            {
                Assert.Equal([day], part.Orders.Keys);
            }
        }
        Assert.Equal(50, board.TotalEvents);
        Assert.Equal(new OrderDayStats { Orders = 1, Revenue = decimal.MaxValue }, board.OrdersOn(day));
        Assert.Equal(10m, board.ProductPerformance()["p1"].Revenue);
    }

    [Fact]
    public void A_product_whose_only_order_stops_counting_keeps_a_row_of_zero_sales_for_gold()
    {
        var board = new KpiBoard();
        board.Apply(new KpiDelta { Products = { ["p1"] = new ProductSales { Orders = 1, UnitsSold = 2, Revenue = 10m }, ["p2"] = new ProductSales { Orders = 1, UnitsSold = 1, Revenue = 4m } } }, Now, _options);

        board.Apply(new KpiDelta { Products = { ["p1"] = new ProductSales { Orders = -1, UnitsSold = -2, Revenue = -10m } } }, Now, _options);

        Assert.Equal(["p2"], board.ProductPerformance().Keys);
        Assert.Equal(new ProductSales(), board.ProductsEverSold()["p1"]);
        Assert.Equal(4m, board.ProductsEverSold()["p2"].Revenue);
    }

    [Fact]
    public void The_parts_of_a_delta_add_up_to_the_delta()
    {
        var day = DateOnly.FromDateTime(EventTime.UtcDateTime);
        var delta = Delta(7, ("u1", "s1", 1), ("u2", null, 2));
        delta.Orders[day] = new OrderDayStats { Orders = 2, Revenue = 30m };
        delta.Orders[day.AddDays(1)] = new OrderDayStats { Orders = 1, Revenue = 5m };
        delta.Segments["VIP"] = new SegmentStats { Users = 1, EngagementSum = 80, Revenue = 35m };
        delta.Products["p1"] = new ProductSales { Orders = 1, UnitsSold = 3, Revenue = 30m };

        var whole = new KpiBoard();
        whole.Apply(delta, Now, _options);
        var byParts = new KpiBoard();
        foreach (var part in delta.Parts())
        {
            byParts.Apply(part, Now, _options);
        }

        Assert.Equal(1 + 2 + 1 + 1, delta.Parts().Count());
        Assert.Equivalent(whole.Snapshot(Now, _options), byParts.Snapshot(Now, _options));
        Assert.Equal(whole.DailySummary(day), byParts.DailySummary(day));
        Assert.Equal(whole.OrdersOn(day.AddDays(1)), byParts.OrdersOn(day.AddDays(1)));
        Assert.Equivalent(whole.ProductPerformance(), byParts.ProductPerformance());
    }

    [Fact]
    public void Records_lost_are_summed_over_the_silos_that_reported_lately()
    {
        var board = new KpiBoard();
        board.Apply(new KpiDelta { Silo = "a", ConsumerLag = 5, RecordsLost = 80 }, Now, _options);
        board.Apply(new KpiDelta { Silo = "b", ConsumerLag = 1, RecordsLost = 7 }, Now, _options);
        board.Apply(new KpiDelta { Silo = "a", ConsumerLag = 0, RecordsLost = 80 }, Now.AddSeconds(1), _options);

        Assert.Equal(87, board.Snapshot(Now.AddSeconds(1), _options).RecordsLost);
        Assert.Equal(0, board.Snapshot(Now.Add(KpiBoard.LagFreshness).AddSeconds(2), _options).RecordsLost);
    }
}
