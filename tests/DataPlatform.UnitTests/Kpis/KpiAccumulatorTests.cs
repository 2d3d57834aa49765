using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Kpis;

public sealed class KpiAccumulatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static UserActivity Activity(string user, string? session, int second) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        UserId = user,
        SessionId = session,
        EventType = "click",
        Timestamp = T0.AddSeconds(second),
    };

    [Fact]
    public void Drain_returns_what_was_recorded_and_starts_empty()
    {
        var accumulator = new KpiAccumulator();
        accumulator.RecordEvent(Activity("u1", "s1", 5), default);
        accumulator.RecordEvent(Activity("u1", "s1", 2), default);
        accumulator.RecordEvent(Activity("u2", null, 3), default);
        accumulator.RecordDeadLetter();

        var delta = accumulator.Drain();

        Assert.Equal(3, delta.Events);
        Assert.Equal(1, delta.DeadLetters);
        Assert.Equal(T0.AddSeconds(5), delta.UserLastSeen["u1"]);
        Assert.Equal(T0.AddSeconds(3), delta.UserLastSeen["u2"]);
        Assert.Equal(T0.AddSeconds(5), Assert.Single(delta.SessionLastSeen).Value);
        Assert.True(accumulator.Drain().IsEmpty);
    }

    [Fact]
    public void A_restored_delta_is_merged_into_the_next_one()
    {
        var accumulator = new KpiAccumulator();
        accumulator.RecordEvent(Activity("u1", "s1", 1), default);
        var failed = accumulator.Drain();
        accumulator.RecordEvent(Activity("u1", "s1", 9), default);
        accumulator.RecordEvent(Activity("u3", "s3", 4), default);

        accumulator.Restore(failed);
        var delta = accumulator.Drain();

        Assert.Equal(3, delta.Events);
        Assert.Equal(T0.AddSeconds(9), delta.UserLastSeen["u1"]);
        Assert.Equal(2, delta.UserLastSeen.Count);
        Assert.Equal(2, delta.SessionLastSeen.Count);
    }

    [Fact]
    public void A_delta_drained_before_a_roll_back_is_not_put_back_after_it()
    {
        // A report still under way when the silo rolled back fails late: its records are read again, and
        // putting it back would count them twice.
        var accumulator = new KpiAccumulator();
        accumulator.Follow(generation: 0);
        accumulator.RecordEvent(Activity("u1", "s1", 1), default);
        var failed = accumulator.Drain();
        Assert.Equal(0, failed.Generation);

        accumulator.Discard(generation: 1);
        accumulator.RecordEvent(Activity("u2", "s2", 2), default);

        Assert.False(accumulator.Restore(failed));
        var delta = accumulator.Drain();
        Assert.Equal((1L, (long?)1), (delta.Events, delta.Generation));
        Assert.Equal(["u2"], delta.UserLastSeen.Keys);
    }

    [Fact]
    public void What_a_silo_records_before_it_joins_is_unstamped_and_kept_across_the_join()
    {
        // Grains may activate on a silo before it joined the checkpoints (no roll-back happens until it has):
        // their figures count, whatever generation the silo then learns.
        var accumulator = new KpiAccumulator();
        accumulator.RecordDeadLetter();
        var failed = accumulator.Drain();
        Assert.Null(failed.Generation);

        accumulator.Follow(generation: 4);
        accumulator.Follow(generation: 2);
        Assert.True(accumulator.Restore(failed));
        var joined = accumulator.Drain();
        Assert.Equal((1L, (long?)4), (joined.DeadLetters, joined.Generation));

        accumulator.RecordDeadLetter();
        accumulator.Discard(generation: 5);
        Assert.True(accumulator.Drain() is { IsEmpty: true, Generation: 5 });
    }

    [Fact]
    public void Concurrent_recording_loses_nothing()
    {
        var accumulator = new KpiAccumulator();

        Parallel.For(0, 10_000, i => accumulator.RecordEvent(Activity($"u{i % 100}", null, i % 60), default));

        var delta = accumulator.Drain();
        Assert.Equal(10_000, delta.Events);
        Assert.Equal(100, delta.UserLastSeen.Count);
        Assert.Equal(10_000, delta.MinuteCells.Values.Sum(cell => cell.Events));
        Assert.Equal(T0.AddSeconds(Enumerable.Range(0, 10_000).Where(i => i % 100 == 0).Max(i => i % 60)), delta.UserLastSeen["u0"]);
        Assert.True(accumulator.Drain().IsEmpty);
    }
}
