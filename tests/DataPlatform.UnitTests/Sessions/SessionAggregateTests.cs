using DataPlatform.Analytics.Sessions;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Sessions;

public sealed class SessionAggregateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private int _nextId;

    private UserActivity Event(string type, int second, string? page = null) => new()
    {
        EventId = $"e{++_nextId}",
        UserId = "u1",
        SessionId = "s1",
        EventType = type,
        Timestamp = T0.AddSeconds(second),
        PageUrl = page,
    };

    [Theory]
    [InlineData("page_view,add_to_cart,checkout,purchase", 4)]
    [InlineData("purchase,checkout,add_to_cart,page_view", 4)]
    [InlineData("screen_view,add_to_cart,purchase", 2)]
    [InlineData("add_to_cart,checkout,purchase", 0)]
    [InlineData("page_view,click", 1)]
    public void A_session_reaches_a_funnel_step_when_it_has_that_step_and_every_step_before_it(string types, int step)
    {
        var session = new SessionAggregate();
        var second = 0;
        foreach (var type in types.Split(','))
        {
            session.Apply(Event(type, second++, "/p") with { AppType = second % 2 == 0 ? "ios" : "android" });
        }

        var snapshot = session.ToSnapshot("s1");

        Assert.Equal(step, snapshot.FunnelStep);
        Assert.Equal(types.Contains(',', StringComparison.Ordinal) ? "android" : "ios", snapshot.AppType);
    }

    [Fact]
    public void A_single_page_view_is_a_bounce()
    {
        var session = new SessionAggregate();
        session.Apply(Event("page_view", 0, "/"));

        var snapshot = session.ToSnapshot("s1");

        Assert.True(snapshot.IsBounce);
        Assert.Equal(1, snapshot.PageViews);
        Assert.Equal(0, snapshot.DurationS);
        Assert.Equal("/", snapshot.EntryPage);
        Assert.Equal("/", snapshot.ExitPage);
    }

    [Fact]
    public void A_page_view_with_any_other_event_is_not_a_bounce()
    {
        var session = new SessionAggregate();
        session.Apply(Event("page_view", 0, "/"));
        session.Apply(Event("click", 4, "/"));

        Assert.False(session.ToSnapshot("s1").IsBounce);
    }

    [Fact]
    public void Two_page_views_are_not_a_bounce_and_no_page_view_is_not_either()
    {
        var twoViews = new SessionAggregate();
        twoViews.Apply(Event("page_view", 0, "/"));
        twoViews.Apply(Event("page_view", 1, "/a"));
        var onlyAppOpen = new SessionAggregate();
        onlyAppOpen.Apply(Event("app_open", 0));

        Assert.False(twoViews.ToSnapshot("s1").IsBounce);
        Assert.False(onlyAppOpen.ToSnapshot("s2").IsBounce);
    }

    [Fact]
    public void Counts_page_views_clicks_conversion_and_duration_of_app_and_web_types()
    {
        var session = new SessionAggregate();
        session.Apply(Event("screen_view", 0, "home"));
        session.Apply(Event("button_click", 10));
        session.Apply(Event("page_view", 20, "/p"));
        session.Apply(Event("click", 30, "/p"));
        session.Apply(Event("purchase", 95));

        var snapshot = session.ToSnapshot("s1");

        Assert.Equal(5, snapshot.Events);
        Assert.Equal(2, snapshot.PageViews);
        Assert.Equal(2, snapshot.Clicks);
        Assert.True(snapshot.Converted);
        Assert.Equal(95, snapshot.DurationS);
        Assert.Equal("u1", snapshot.UserId);
    }

    [Fact]
    public void Out_of_order_events_give_the_event_time_path_entry_and_exit()
    {
        var session = new SessionAggregate();
        session.Apply(Event("page_view", 20, "/second"));
        session.Apply(Event("page_view", 40, "/third"));
        session.Apply(Event("page_view", 0, "/first"));
        session.Apply(Event("click", 50, "/third"));

        var snapshot = session.ToSnapshot("s1");

        Assert.Equal(["/first", "/second", "/third"], snapshot.Path);
        Assert.Equal("/first", snapshot.EntryPage);
        Assert.Equal("/third", snapshot.ExitPage);
        Assert.Equal(T0, snapshot.StartedAt);
        Assert.Equal(T0.AddSeconds(50), snapshot.LastActivity);
    }

    [Fact]
    public void The_path_keeps_the_first_page_views_up_to_its_cap_while_exit_stays_exact()
    {
        var session = new SessionAggregate();
        for (var i = 0; i < SessionAggregate.MaxPathLength + 20; i++)
        {
            session.Apply(Event("page_view", i, $"/p{i}"));
        }

        var snapshot = session.ToSnapshot("s1");

        Assert.Equal(SessionAggregate.MaxPathLength, snapshot.Path.Count);
        Assert.Equal("/p0", snapshot.Path[0]);
        Assert.Equal($"/p{SessionAggregate.MaxPathLength - 1}", snapshot.Path[^1]);
        Assert.Equal($"/p{SessionAggregate.MaxPathLength + 19}", snapshot.ExitPage);
        Assert.Equal(SessionAggregate.MaxPathLength + 20, snapshot.PageViews);
    }

    [Fact]
    public void A_redelivered_event_is_ignored()
    {
        var session = new SessionAggregate();
        var view = Event("page_view", 0, "/");
        Assert.True(session.Apply(view));

        Assert.False(session.Apply(view));

        Assert.Equal(1, session.ToSnapshot("s1").Events);
        Assert.True(session.ToSnapshot("s1").IsBounce);
    }
}
