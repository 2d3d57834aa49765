using DataPlatform.Analytics.Kpis;

namespace DataPlatform.UnitTests.Kpis;

public sealed class KpiPushScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MinSpacing = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(1);

    [Fact]
    public void The_first_push_is_due_at_once()
    {
        Assert.True(new KpiPushSchedule(MinSpacing, Heartbeat).IsDue(Start));
    }

    [Fact]
    public void A_change_is_pushed_once_the_spacing_has_passed_not_a_heartbeat_later()
    {
        var schedule = new KpiPushSchedule(MinSpacing, Heartbeat);
        schedule.Pushed(Start);

        schedule.Changed();

        Assert.False(schedule.IsDue(Start + TimeSpan.FromMilliseconds(199)));
        Assert.True(schedule.IsDue(Start + MinSpacing));
    }

    [Fact]
    public void Without_changes_only_the_heartbeat_is_due()
    {
        var schedule = new KpiPushSchedule(MinSpacing, Heartbeat);
        schedule.Changed();
        schedule.Pushed(Start);

        Assert.False(schedule.IsDue(Start + MinSpacing));
        Assert.False(schedule.IsDue(Start + TimeSpan.FromMilliseconds(999)));
        Assert.True(schedule.IsDue(Start + Heartbeat));
    }

    [Fact]
    public void Changes_between_two_pushes_make_one_push()
    {
        var schedule = new KpiPushSchedule(MinSpacing, Heartbeat);
        schedule.Pushed(Start);
        schedule.Changed();
        schedule.Changed();

        Assert.True(schedule.IsDue(Start + MinSpacing));
        schedule.Pushed(Start + MinSpacing);
        Assert.False(schedule.IsDue(Start + MinSpacing + MinSpacing));
    }
}
