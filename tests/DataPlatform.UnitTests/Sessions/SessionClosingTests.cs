using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Sessions;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Sessions;

public sealed class SessionClosingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);
    private int _ids;

    private UserActivity Event(string type, double minutes, string? page = "/") => new()
    {
        EventId = $"e{++_ids}",
        UserId = "u1",
        SessionId = "s1",
        EventType = type,
        Timestamp = T0.AddMinutes(minutes),
        PageUrl = page,
    };

    [Fact]
    public void A_session_is_idle_only_after_the_timeout_has_passed_in_event_time()
    {
        var session = new SessionAggregate();
        session.Apply(Event("page_view", 0));
        session.Apply(Event("click", 5));

        Assert.False(session.IsIdle(T0.AddMinutes(35), Timeout));
        Assert.True(session.IsIdle(T0.AddMinutes(35.01), Timeout));
        session.Close();
        Assert.False(session.IsIdle(T0.AddMinutes(90), Timeout));
        Assert.True(session.ToSnapshot("s1").Closed);
    }

    [Fact]
    public void A_reopened_session_takes_its_closed_figures_back()
    {
        var session = new SessionAggregate();
        session.Apply(Event("page_view", 0));
        session.Close();
        var closedOnce = session.ToSnapshot("s1");
        var accumulator = new KpiAccumulator();
        accumulator.RecordSessionClosed(closedOnce, sign: 1);

        session.Apply(Event("click", 1));
        session.Reopen();
        accumulator.RecordSessionClosed(closedOnce, sign: -1);
        session.Close();
        accumulator.RecordSessionClosed(session.ToSnapshot("s1"), sign: 1);

        var stats = accumulator.Drain().ClosedSessions[DateOnly.FromDateTime(T0.UtcDateTime)];
        Assert.Equal(1, stats.Sessions);
        Assert.Equal(0, stats.Bounces);
        Assert.Equal(60, stats.DurationSecondsSum);
    }

    [Fact]
    public void Bounce_rate_and_average_duration_are_those_of_todays_closed_sessions()
    {
        var yesterday = new SessionSnapshot
        {
            SessionId = "old", UserId = "u", StartedAt = T0.AddDays(-1), LastActivity = T0.AddDays(-1),
            DurationS = 0, Events = 1, PageViews = 1, Clicks = 0, IsBounce = true, Converted = false, Path = ["/"],
        };
        var bounce = yesterday with { SessionId = "a", StartedAt = T0, LastActivity = T0 };
        var long1 = bounce with { SessionId = "b", IsBounce = false, DurationS = 300, LastActivity = T0.AddMinutes(5) };
        var accumulator = new KpiAccumulator();
        foreach (var session in new[] { yesterday, bounce, long1 })
        {
            accumulator.RecordSessionClosed(session, sign: 1);
        }
        var delta = accumulator.Drain();
        delta.UserLastSeen["u"] = T0.AddHours(1);
        var board = new KpiBoard();
        board.Apply(delta, T0, new KpiOptions());

        var snapshot = board.Snapshot(T0, new KpiOptions());

        Assert.Equal(0.5, snapshot.BounceRate);
        Assert.Equal(150, snapshot.AvgSessionDurationS);
        Assert.Equal(1, board.ClosedSessionsOn(DateOnly.FromDateTime(T0.UtcDateTime.AddDays(-1)))!.Sessions);
    }

    [Fact]
    public void Before_any_session_closed_there_is_no_bounce_rate()
    {
        var board = new KpiBoard();

        Assert.Null(board.Snapshot(T0, new KpiOptions()).BounceRate);
        Assert.Null(board.Snapshot(T0, new KpiOptions()).AvgSessionDurationS);
    }
}
