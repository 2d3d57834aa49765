using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Kpis;

public sealed class WindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
    private readonly KpiOptions _options = new();
    private int _ids;

    private UserActivity Event(string user, string type, double seconds, double? value = null, string app = "ios") => new()
    {
        EventId = $"e{++_ids}",
        UserId = user,
        EventType = type,
        AppType = app,
        Timestamp = T0.AddSeconds(seconds),
        Value = value,
    };

    [Fact]
    public void Windows_are_aligned_to_whole_minutes_and_hours()
    {
        var at = new DateTimeOffset(2026, 11, 20, 10, 59, 59, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 59, 0, TimeSpan.Zero), TumblingWindows.StartTime(TumblingWindows.MinuteOf(at)));
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), TumblingWindows.StartTime(TumblingWindows.HourOf(at)));
    }

    [Fact]
    public void A_user_is_first_in_a_window_once_per_event_type_and_app_type()
    {
        var windows = new UserWindows();

        var first = windows.Enter(Event("u", "click", 0));
        var again = windows.Enter(Event("u", "click", 30));
        var otherType = windows.Enter(Event("u", "page_view", 40));
        var nextMinute = windows.Enter(Event("u", "click", 61));

        Assert.Equal(new WindowMembership(true, true, true, FirstInDay: true), first);
        Assert.Equal(new WindowMembership(false, false, false), again);
        Assert.Equal(new WindowMembership(true, true, false), otherType);
        Assert.Equal(new WindowMembership(true, false, true), nextMinute);
    }

    [Fact]
    public void Only_closed_windows_are_forgotten()
    {
        var windows = new UserWindows();
        for (var minute = 0; minute < 600; minute++)
        {
            windows.Enter(Event("u", "click", minute * 60));
        }

        windows.ForgetClosedBefore(T0.AddMinutes(590));

        Assert.True(windows.Count < 100);
        Assert.False(windows.Enter(Event("u", "click", 590 * 60 + 5)).FirstInMinuteCell);
        Assert.False(windows.Enter(Event("u", "click", 589 * 60 + 5)).FirstInHourCell);
        Assert.True(windows.Enter(Event("u", "click", 100 * 60 + 5)).FirstInMinuteCell);
    }

    [Fact]
    public void Few_windows_are_never_forgotten()
    {
        var windows = new UserWindows();
        windows.Enter(Event("u", "click", 0));

        windows.ForgetClosedBefore(T0.AddDays(10));

        Assert.False(windows.Enter(Event("u", "click", 5)).FirstInMinuteCell);
    }

    [Fact]
    public void Cells_from_several_silos_add_up_with_min_max_sum_and_average()
    {
        var silo1 = new KpiAccumulator();
        var silo2 = new KpiAccumulator();
        silo1.RecordEvent(Event("a", "purchase", 1, 10), new WindowMembership(true, true, true));
        silo1.RecordEvent(Event("a", "purchase", 2, 30), new WindowMembership(false, false, false));
        silo2.RecordEvent(Event("b", "purchase", 3, 5), new WindowMembership(true, true, true));
        silo2.RecordEvent(Event("b", "click", 4), new WindowMembership(true, true, false));
        var board = new KpiBoard();

        board.Apply(silo1.Drain(), Now, _options);
        board.Apply(silo2.Drain(), Now, _options);

        var minute = TumblingWindows.MinuteOf(T0);
        var purchases = board.MinuteCell(new WindowKey(minute, "purchase", "ios"))!;
        Assert.Equal(3, purchases.Events);
        Assert.Equal(2, purchases.UniqueUsers);
        Assert.Equal(5, purchases.ValueMin);
        Assert.Equal(30, purchases.ValueMax);
        Assert.Equal(45, purchases.ValueSum);
        Assert.Equal(15, purchases.ValueAvg);
        Assert.Null(board.MinuteCell(new WindowKey(minute, "click", "ios"))!.ValueAvg);
        Assert.Equal(3, board.HourCell(new WindowKey(TumblingWindows.HourOf(T0), "purchase", "ios"))!.Events);
        var history = Assert.Single(board.History(1));
        Assert.Equal(4, history.Events);
        Assert.Equal(2, history.ActiveUsers);
    }

    [Fact]
    public void Events_after_the_allowed_lateness_are_counted_late_and_not_merged()
    {
        var board = new KpiBoard();
        var live = new KpiAccumulator();
        live.RecordEvent(Event("a", "click", 30 * 60), new WindowMembership(true, true, true));
        board.Apply(live.Drain(), Now, _options);

        var late = new KpiAccumulator();
        late.RecordEvent(Event("b", "click", 5 * 60), new WindowMembership(true, true, true)); // 25 min behind: minute closed, hour open
        late.RecordEvent(Event("c", "click", 21 * 60), new WindowMembership(true, true, true)); // 9 min behind: within lateness
        board.Apply(late.Drain(), Now, _options);

        var snapshot = board.Snapshot(Now, _options);
        Assert.Equal(1, snapshot.LateEvents);
        Assert.Null(board.MinuteCell(new WindowKey(TumblingWindows.MinuteOf(T0.AddMinutes(5)), "click", "ios")));
        Assert.Equal(1, board.MinuteCell(new WindowKey(TumblingWindows.MinuteOf(T0.AddMinutes(21)), "click", "ios"))!.Events);
        Assert.Equal(3, board.HourCell(new WindowKey(TumblingWindows.HourOf(T0), "click", "ios"))!.Events);
        Assert.Equal(3, snapshot.TotalEvents);
    }

    [Fact]
    public void Top_event_types_rank_the_last_complete_minute()
    {
        var silo = new KpiAccumulator();
        foreach (var (type, count) in new[] { ("click", 5), ("page_view", 7), ("purchase", 1) })
        {
            for (var i = 0; i < count; i++)
            {
                silo.RecordEvent(Event($"u{i}", type, 10 + i), default);
            }
        }
        silo.RecordEvent(Event("u", "error", 65), default); // the current minute: not ranked yet
        var board = new KpiBoard();
        board.Apply(silo.Drain(), Now, _options);

        var top = board.Snapshot(Now, _options).TopEventTypes;

        Assert.Equal([new EventTypeCount("page_view", 7), new EventTypeCount("click", 5), new EventTypeCount("purchase", 1)], top);
    }

    [Fact]
    public void History_lists_every_minute_up_to_the_watermark_oldest_first()
    {
        var silo = new KpiAccumulator();
        silo.RecordEvent(Event("a", "click", 0), new WindowMembership(true, true, true));
        silo.RecordEvent(Event("a", "click", 150), new WindowMembership(true, true, true));
        var board = new KpiBoard();
        board.Apply(silo.Drain(), Now, _options);

        var history = board.History(4);

        Assert.Equal([T0.AddMinutes(-1), T0, T0.AddMinutes(1), T0.AddMinutes(2)], history.Select(m => m.Minute));
        Assert.Equal([0L, 1, 0, 1], history.Select(m => m.Events));
        Assert.Equal([0L, 1, 0, 1], history.Select(m => m.ActiveUsers));
    }
}
