using DataPlatform.Analytics.Features;
using DataPlatform.Analytics.Segments;
using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Features;

public sealed class UserFeatureHistoryTests
{
    // Friday 2026-11-20, 12:00 UTC.
    private static readonly DateTimeOffset T = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Day = DateOnly.FromDateTime(T.UtcDateTime);
    private static readonly SegmentRules Rules = new();
    private static readonly (DateOnly, decimal)[] NoOrders = [];
    private int _ids;

    private UserActivity Event(DateTimeOffset at, string type = "app_open", string? session = "s1", double? value = null) => new()
    {
        EventId = $"e{++_ids}",
        UserId = "u1",
        SessionId = session,
        EventType = type,
        Timestamp = at,
        AppType = "ios",
        Value = value,
    };

    private static DateTimeOffset At(DateOnly date, int hour, int minute, int second = 0) =>
        new(date.ToDateTime(new TimeOnly(hour, minute, second)), TimeSpan.Zero);

    private static DateTimeOffset EndOf(DateOnly date) => new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1);

    [Fact]
    public void Live_windows_end_at_as_of_included_and_start_just_after_their_length_before_it()
    {
        var history = new UserFeatureHistory();
        history.Record(Event(T.AddHours(-1), "click", "a"));
        history.Record(Event(T.AddHours(-1).AddTicks(1), "page_view", "b"));
        history.Record(Event(T.AddHours(-24)));
        history.Record(Event(T.AddHours(-24).AddTicks(1), "page_view", session: null));
        history.Record(Event(T.AddDays(-7), "purchase", "c", value: 10));
        history.Record(Event(T.AddDays(-7).AddTicks(1), "purchase", "d", value: 20));
        history.Record(Event(T, "click", "b"));

        var features = history.Live("u1", T, T, NoOrders, Rules);

        Assert.Equal(T, features.AsOf);
        Assert.Equal(T, features.LastEventAt);
        Assert.Equal(new Dictionary<string, long> { ["page_view"] = 1, ["click"] = 1 }, features.EventsByType1h);
        Assert.Equal((2L, 1L), (features.Events1h, features.Sessions1h));
        Assert.Equal(new Dictionary<string, long> { ["page_view"] = 2, ["click"] = 2 }, features.EventsByType24h);
        Assert.Equal((4L, 2L), (features.Events24h, features.Sessions24h));
        Assert.Equal(new Dictionary<string, long> { ["page_view"] = 2, ["click"] = 2, ["app_open"] = 1, ["purchase"] = 1 }, features.EventsByType7d);
        Assert.Equal((6L, 4L), (features.Events7d, features.Sessions7d));
        Assert.Equal(0, features.RecencyDays);
    }

    [Fact]
    public void Live_features_are_as_of_the_watermark_when_it_is_past_the_last_event()
    {
        var history = new UserFeatureHistory();
        history.Record(Event(T, "purchase", value: 12.5));
        var watermark = T.AddHours(30);

        var features = history.Live("u1", T, watermark, [(Day.AddDays(-100), 500m), (Day.AddDays(-3), 40m), (Day.AddDays(2), 1m)], Rules);

        Assert.Equal(watermark, features.AsOf);
        Assert.Equal((0L, 0L, 1L), (features.Events1h, features.Events24h, features.Events7d));
        Assert.Equal(1.25, features.RecencyDays);
        Assert.Equal((1L, 1L), (features.Frequency30d, features.Purchases30d));
        // Orders by date: 90 dates ending with the watermark's date, none after it.
        Assert.Equal(52.5m, features.Monetary90d);
        var expected = Segmentation.Evaluate(T, new Dictionary<DateOnly, DayActivity> { [Day] = new() { Events = 1, SessionEvents = 1, Purchases = 1, PurchaseValue = 12.5m } },
            [(Day.AddDays(-100), 500m), (Day.AddDays(-3), 40m), (Day.AddDays(2), 1m)], watermark, Rules);
        Assert.Equal((expected.Segment, expected.ChurnRisk, expected.EngagementScore), (features.Segment, features.ChurnRisk, features.EngagementScore));
    }

    [Fact]
    public void A_duplicate_event_id_is_counted_once_in_the_features()
    {
        var user = new UserAggregate();
        var click = Event(T, "click");
        user.Apply(click);
        user.Apply(click);
        user.Apply(click with { Timestamp = T.AddMinutes(-5) });

        var features = user.Features("u1", T, Rules)!;

        Assert.Equal((1L, 1L, 1L), (features.Events1h, features.Events24h, features.Events7d));
        Assert.Equal(1L, Assert.Single(user.TakeFeatureSnapshots("u1", T, Rules)).Events24h);
        Assert.Null(new UserAggregate().Features("u1", T, Rules));
    }

    [Fact]
    public void A_snapshot_sees_only_events_and_orders_up_to_the_end_of_its_date()
    {
        var history = new UserFeatureHistory();
        history.Record(Event(At(Day, 22, 59, 59), "click", "a"));
        history.Record(Event(At(Day, 23, 0), "purchase", "b", value: 30));
        history.Record(Event(EndOf(Day), "page_view", "b"));
        history.Record(Event(EndOf(Day).AddTicks(1), "purchase", "c", value: 1000));
        history.Record(Event(At(Day.AddDays(-6), 0, 0), "app_open", "old"));
        history.Record(Event(At(Day.AddDays(-7), 23, 59), "app_open", "older"));

        var snapshot = history.Snapshot("u1", Day, [(Day, 5m), (Day.AddDays(1), 2000m)], Rules);

        Assert.Equal(EndOf(Day), snapshot.AsOf);
        Assert.Equal(EndOf(Day), snapshot.LastEventAt);
        Assert.Equal(new Dictionary<string, long> { ["purchase"] = 1, ["page_view"] = 1 }, snapshot.EventsByType1h);
        Assert.Equal(1L, snapshot.Sessions1h);
        Assert.Equal((3L, 2L), (snapshot.Events24h, snapshot.Sessions24h));
        Assert.Equal((4L, 3L), (snapshot.Events7d, snapshot.Sessions7d));
        Assert.Equal((3L, 1L, 35m), (snapshot.Frequency30d, snapshot.Purchases30d, snapshot.Monetary90d));
        Assert.Equal("Regular", snapshot.Segment);
        // The next date's purchase and order make it VIP there, never before.
        Assert.Equal("VIP", history.Snapshot("u1", Day.AddDays(1), [(Day, 5m), (Day.AddDays(1), 2000m)], Rules).Segment);
        Assert.Throws<ArgumentOutOfRangeException>(() => history.Snapshot("u1", Day.AddDays(2), NoOrders, Rules));
    }

    [Fact]
    public void A_late_event_changes_the_snapshots_of_its_date_and_the_later_dates_that_look_back_at_it()
    {
        var history = new UserFeatureHistory();
        foreach (var back in new[] { 0, 2, 5, 9 })
        {
            history.Record(Event(T.AddDays(-back)));
        }
        Assert.Equal([Day.AddDays(-9), Day.AddDays(-5), Day.AddDays(-2), Day],
            history.TakeChangedSnapshots("u1", T, NoOrders, Rules).Select(snapshot => DateOnly.FromDateTime(snapshot.AsOf.UtcDateTime)));
        Assert.Empty(history.TakeChangedSnapshots("u1", T, NoOrders, Rules));

        history.Record(Event(T.AddDays(-5).AddHours(1), "purchase", value: 7));

        var changed = history.TakeChangedSnapshots("u1", T, NoOrders, Rules);
        Assert.Equal([Day.AddDays(-5), Day.AddDays(-2), Day], changed.Select(snapshot => DateOnly.FromDateTime(snapshot.AsOf.UtcDateTime)));
        Assert.Equal([3L, 3L, 4L], changed.Select(snapshot => snapshot.Events7d));
        Assert.Equal([7m, 7m, 7m], changed.Select(snapshot => snapshot.Monetary90d));

        history.RecordOrderChange(Day.AddDays(-1));
        Assert.Equal([Day], history.TakeChangedSnapshots("u1", T, NoOrders, Rules).Select(snapshot => DateOnly.FromDateTime(snapshot.AsOf.UtcDateTime)));
    }

    [Fact]
    public void Pruning_keeps_live_windows_exact_and_stops_maintaining_old_snapshots()
    {
        var history = new UserFeatureHistory();
        history.Record(Event(T.AddDays(-40)));
        history.Record(Event(T.AddDays(-8)));
        history.Record(Event(T.AddDays(-6), "click"));
        var before = history.Live("u1", T.AddDays(-6), T, NoOrders, Rules);

        history.Prune(T);
        var after = history.Live("u1", T.AddDays(-6), T, NoOrders, Rules);

        Assert.Equal(T, history.Horizon);
        Assert.Equal(before.EventsByType7d, after.EventsByType7d);
        Assert.Equal(new Dictionary<string, long> { ["click"] = 1 }, after.EventsByType7d);
        // An older watermark cannot move as_of back before what was pruned.
        Assert.Equal(T, history.Live("u1", T.AddDays(-6), T.AddDays(-1), NoOrders, Rules).AsOf);
        // A late event older than the live window still reaches its snapshots, not the live windows.
        history.Record(Event(T.AddDays(-7).AddHours(-1), "purchase", value: 3));
        Assert.Equal(1L, history.Live("u1", T.AddDays(-6), T, NoOrders, Rules).Events7d);
        Assert.Equal(3m, history.Live("u1", T.AddDays(-6), T, NoOrders, Rules).Monetary90d);
        // The snapshot of 40 days ago is past the maintained range: never handed out again.
        Assert.DoesNotContain(Day.AddDays(-40), history.TakeChangedSnapshots("u1", T, NoOrders, Rules).Select(snapshot => DateOnly.FromDateTime(snapshot.AsOf.UtcDateTime)));
    }
}
