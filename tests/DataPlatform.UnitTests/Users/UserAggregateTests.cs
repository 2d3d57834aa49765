using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Users;

public sealed class UserAggregateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static UserActivity Activity(string id, string type, int minute, string? session = "s1", double? value = null,
        string? appType = "ios", string? device = null) => new()
    {
        EventId = id,
        UserId = "u1",
        SessionId = session,
        EventType = type,
        Timestamp = T0.AddMinutes(minute),
        AppType = appType,
        Device = device,
        Value = value,
    };

    [Fact]
    public void A_users_cohort_cells_follow_their_first_week_and_move_when_an_earlier_event_arrives()
    {
        // T0 is Friday 2026-11-20: its week starts Monday 2026-11-16.
        var user = new UserAggregate();
        var week = new DateOnly(2026, 11, 16);
        user.Apply(Activity("e1", "app_open", 0));
        Assert.Equal([(new CohortKey(week, 0), 1)], user.TakeCohortChanges());

        user.Apply(Activity("e2", "app_open", 7 * 24 * 60));
        user.Apply(Activity("e3", "app_open", 7 * 24 * 60 + 5));
        Assert.Equal([(new CohortKey(week, 1), 1)], user.TakeCohortChanges());
        Assert.Empty(user.TakeCohortChanges());

        user.Apply(Activity("e4", "app_open", -10 * 24 * 60));
        var earlier = week.AddDays(-7);
        Assert.Equal(
            [(new CohortKey(earlier, 0), 1), (new CohortKey(earlier, 1), 1), (new CohortKey(earlier, 2), 1), (new CohortKey(week, 0), -1), (new CohortKey(week, 1), -1)],
            user.TakeCohortChanges().OrderByDescending(change => change.Change).ThenBy(change => change.Cell.Cohort).ThenBy(change => change.Cell.Week));
    }

    [Fact]
    public void A_users_segment_is_evaluated_per_date_with_what_was_known_by_then_and_a_late_event_moves_it()
    {
        // Active takes sessions on 3 of the last 7 dates: days 0, 1 and 3 make it Active from day 3.
        var user = new UserAggregate();
        var rules = new Analytics.Segments.SegmentRules();
        var day0 = DateOnly.FromDateTime(T0.UtcDateTime);
        user.Apply(Activity("e1", "app_open", 0));
        user.Apply(Activity("e2", "app_open", 24 * 60));
        user.Apply(Activity("e3", "app_open", 3 * 24 * 60));
        user.EvaluateSegmentDates(day0.AddDays(4), rules);
        Assert.True(user.SegmentChangesPending);
        Assert.Equal(new Dictionary<DateOnly, string> { [day0] = "Regular", [day0.AddDays(3)] = "Active" }, user.SegmentChanges());
        user.MarkSegmentChangesSent();

        user.EvaluateSegmentDates(day0.AddDays(5), rules);
        Assert.False(user.SegmentChangesPending);

        user.Apply(Activity("e4", "app_open", 2 * 24 * 60));
        user.EvaluateSegmentDates(day0.AddDays(5), rules);
        Assert.True(user.SegmentChangesPending);
        Assert.Equal(new Dictionary<DateOnly, string> { [day0] = "Regular", [day0.AddDays(2)] = "Active" }, user.SegmentChanges());
    }

    [Fact]
    public void A_new_user_is_unknown_and_has_no_profile()
    {
        var user = new UserAggregate();

        Assert.False(user.IsKnown);
        Assert.Throws<InvalidOperationException>(() => user.ToProfile("u1"));
    }

    [Fact]
    public void A_user_with_only_a_profile_or_an_order_is_not_empty_though_still_unknown()
    {
        var profiled = new UserAggregate();
        var ordered = new UserAggregate();
        Assert.True(profiled.IsEmpty);

        profiled.ApplyProfile(new UserProfileEvent { UserId = "u1", Timestamp = T0, Country = "DE" });
        ordered.ApplyOrder(new OrderState { OrderId = "o-1", CustomerId = "u1", TotalAmount = 10m, OrderDate = T0, Status = "paid" });

        Assert.False(profiled.IsEmpty || profiled.IsKnown);
        Assert.False(ordered.IsEmpty || ordered.IsKnown);
    }

    [Fact]
    public void Counts_events_by_type_sessions_purchases_and_revenue()
    {
        var user = new UserAggregate();
        user.Apply(Activity("e1", "app_open", 0));
        user.Apply(Activity("e2", "purchase", 1, value: 10.25));
        user.Apply(Activity("e3", "purchase", 2, session: "s2", value: 5.50));
        user.Apply(Activity("e4", "page_view", 3, session: null, appType: "web", device: "desktop"));

        var profile = user.ToProfile("u1");

        Assert.Equal(4, profile.TotalEvents);
        Assert.Equal(new Dictionary<string, long> { ["app_open"] = 1, ["purchase"] = 2, ["page_view"] = 1 }, profile.EventsByType);
        Assert.Equal(2, profile.Sessions);
        Assert.Equal(2, profile.Purchases);
        Assert.Equal(15.75m, profile.TotalRevenue);
        Assert.Equal(["ios", "web"], profile.AppTypes);
        Assert.Equal(["desktop"], profile.Devices);
    }

    [Fact]
    public void A_redelivered_event_changes_nothing()
    {
        var user = new UserAggregate();
        Assert.True(user.Apply(Activity("e1", "purchase", 0, value: 10)));

        Assert.False(user.Apply(Activity("e1", "purchase", 0, value: 10)));

        var profile = user.ToProfile("u1");
        Assert.Equal(1, profile.TotalEvents);
        Assert.Equal(10m, profile.TotalRevenue);
        Assert.True(user.HasApplied("e1"));
    }

    [Fact]
    public void First_and_last_seen_follow_event_time_not_arrival()
    {
        var user = new UserAggregate();
        user.Apply(Activity("e1", "click", 5));
        user.Apply(Activity("e2", "click", 1));
        user.Apply(Activity("e3", "click", 9));
        user.Apply(Activity("e4", "click", 3));

        var profile = user.ToProfile("u1");

        Assert.Equal(T0.AddMinutes(1), profile.FirstSeen);
        Assert.Equal(T0.AddMinutes(9), profile.LastSeen);
    }

    [Fact]
    public void Clickstream_actions_become_event_types_of_the_web_app()
    {
        var activity = UserActivityMapper.From(new ClickstreamEvent
        {
            EventId = "c1",
            UserId = "u1",
            SessionId = "s1",
            PageUrl = "/cart",
            Action = "checkout",
            Timestamp = T0,
            Device = "tablet",
        });

        Assert.Equal("checkout", activity.EventType);
        Assert.Equal("web", activity.AppType);
        Assert.Equal("tablet", activity.Device);
        Assert.Equal("/cart", activity.PageUrl);
    }
}
