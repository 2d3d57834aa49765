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
}
