using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Kpis;

public sealed class DailySummaryTests
{
    private static readonly DateTimeOffset Day1 = new(2026, 11, 19, 12, 0, 0, TimeSpan.Zero);
    private int _ids;

    private UserActivity Event(string user, DateTimeOffset at) => new()
    {
        EventId = $"e{++_ids}",
        UserId = user,
        EventType = "click",
        AppType = "web",
        Timestamp = at,
    };

    [Fact]
    public void Users_are_new_on_the_date_of_their_first_event_even_when_it_arrives_late()
    {
        var users = new Dictionary<string, UserAggregate> { ["a"] = new(), ["b"] = new() };
        var accumulator = new KpiAccumulator();
        void Apply(UserActivity activity)
        {
            Assert.True(users[activity.UserId].TryApply(activity, out var windows));
            accumulator.RecordEvent(activity, windows);
        }

        Apply(Event("a", Day1.AddDays(1)));          // a first seen on day 2...
        Apply(Event("a", Day1.AddDays(1).AddHours(1)));
        Apply(Event("b", Day1));                     // b new on day 1
        Apply(Event("b", Day1.AddDays(1)));          // b returns on day 2
        Apply(Event("a", Day1.AddHours(2)));         // ...until an older event of a arrives: a is new on day 1

        var delta = accumulator.Drain();
        delta.UserLastSeen["a"] = Day1.AddDays(1);
        var board = new KpiBoard();
        board.Apply(delta, Day1, new KpiOptions());
        var day1 = board.DailySummary(DateOnly.FromDateTime(Day1.UtcDateTime));
        var day2 = board.DailySummary(DateOnly.FromDateTime(Day1.AddDays(1).UtcDateTime));

        Assert.Equal((2L, 2L, 2L), (day1.TotalUsers, day1.NewUsers, day1.TotalEvents));
        Assert.Equal(0, day1.ReturningUsersPct);
        Assert.Equal((2L, 0L, 3L), (day2.TotalUsers, day2.NewUsers, day2.TotalEvents));
        Assert.Equal(100, day2.ReturningUsersPct);
    }

    [Fact]
    public void A_day_without_anything_is_all_zeros()
    {
        var summary = new KpiBoard().DailySummary(new DateOnly(2026, 1, 1));

        Assert.Equal((0L, 0L, 0L, 0L), (summary.TotalUsers, summary.TotalEvents, summary.Sessions, summary.Orders));
        Assert.Null(summary.ReturningUsersPct);
        Assert.Null(summary.BounceRate);
        Assert.Null(summary.AvgOrderValue);
    }
}
