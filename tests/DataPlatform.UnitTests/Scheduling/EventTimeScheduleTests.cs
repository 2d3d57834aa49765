using DataPlatform.Grains.Scheduling;
using DataPlatform.Grains.Sessions;

namespace DataPlatform.UnitTests.Scheduling;

public sealed class EventTimeScheduleTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_last_change_of_each_key_is_taken_in_its_shard_and_only_once()
    {
        var schedule = new OpenSessions();
        schedule.Schedule("s-1", Noon);
        schedule.Schedule("s-2", Noon);
        schedule.Schedule("s-1", Noon.AddMinutes(30));
        schedule.Forget("s-2");
        schedule.Forget("s-3");
        schedule.Schedule("s-3", Noon.AddHours(1));

        var taken = schedule.TakePending();

        var changes = taken.SelectMany(shard => shard.Value.Select(change => (Shard: shard.Key, change.Key, change.DueAt)))
            .OrderBy(change => change.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [(ScheduleShards.Of("s-1"), "s-1", (DateTimeOffset?)Noon.AddMinutes(30)), (ScheduleShards.Of("s-2"), "s-2", null), (ScheduleShards.Of("s-3"), "s-3", Noon.AddHours(1))],
            changes);
        Assert.Empty(schedule.TakePending());
    }

    [Fact]
    public void Changes_made_from_many_threads_at_once_are_all_taken()
    {
        var schedule = new OpenSessions();
        Parallel.For(0, 10_000, i => schedule.Schedule($"s-{i}", Noon.AddSeconds(i)));

        var taken = schedule.TakePending().SelectMany(shard => shard.Value).ToDictionary(change => change.Key, change => change.DueAt);

        Assert.Equal(10_000, taken.Count);
        Assert.Equal(Noon.AddSeconds(9_999), taken["s-9999"]);
    }

    [Fact]
    public void A_roll_back_discards_the_changes_waiting()
    {
        var schedule = new OpenSessions();
        schedule.Schedule("s-1", Noon);

        schedule.DiscardPending();

        Assert.Empty(schedule.TakePending());
    }
}
