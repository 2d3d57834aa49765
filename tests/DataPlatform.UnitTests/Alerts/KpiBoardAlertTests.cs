using DataPlatform.Analytics.Alerts;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Messages;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace DataPlatform.UnitTests.Alerts;

/// <summary>The KPI board feeds the detector each minute once it is closed in event time (its end plus the allowed lateness).</summary>
public sealed class KpiBoardAlertTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly KpiOptions _options = new() { AllowedLateness = TimeSpan.FromMinutes(1) };
    private readonly AlertOptions _alertOptions = new();
    private KpiBoard _board = new();

    /// <summary>One minute of events (<paramref name="errors"/> of them errors); the watermark moves to its last second.</summary>
    private static KpiDelta Minute(int minute, int events, int errors, long deadLetters = 0)
    {
        var start = TumblingWindows.MinuteOf(Start.AddMinutes(minute));
        var delta = new KpiDelta { Events = events, DeadLetters = deadLetters };
        foreach (var (eventType, count) in new[] { (EventTypes.Error, errors), (EventTypes.ScreenView, events - errors) }.Where(cell => cell.Item2 > 0))
        {
            var cell = new MetricCell();
            for (var i = 0; i < count; i++)
            {
                cell.Add(null, i == 0);
            }
            delta.MinuteCells[new WindowKey(start, eventType, "ios")] = cell;
        }
        delta.UserLastSeen["user"] = Start.AddMinutes(minute).AddSeconds(59);
        return delta;
    }

    private IReadOnlyList<Alert> Apply(KpiDelta delta)
    {
        _board.Apply(delta, Now, _options);
        return _board.JudgeClosedMinutes(_options, _alertOptions);
    }

    [Fact]
    public void An_error_burst_opens_only_once_its_minutes_closed_in_event_time()
    {
        for (var minute = 0; minute < 30; minute++)
        {
            Assert.Empty(Apply(Minute(minute, 40, 1)));
        }
        Assert.Empty(Apply(Minute(30, 40, 20)));
        Assert.Empty(Apply(Minute(31, 40, 20)));
        // The watermark at 32:59 closes minute 30 only (30 + 1 minute + 1 minute of lateness).
        Assert.Empty(Apply(Minute(32, 40, 1)));
        Assert.Empty(_board.Alerts());

        var opened = Assert.Single(Apply(Minute(33, 40, 1)));
        Assert.Equal(("error_share", "open", Start.AddMinutes(30), 0.5), (opened.Kind, opened.State, opened.OpenedAt, opened.Value));
        Assert.Equal(opened, Assert.Single(_board.Alerts()));
        Assert.Empty(_board.JudgeClosedMinutes(_options, _alertOptions));

        Assert.Empty(Apply(Minute(34, 40, 1)));
        var closed = Assert.Single(Apply(Minute(35, 40, 1)));
        Assert.Equal(("closed", Start.AddMinutes(32)), (closed.State, closed.ClosedAt));
    }

    [Fact]
    public void Dead_letters_count_for_the_minute_the_watermark_is_in_and_a_stream_gap_is_a_rate_drop()
    {
        for (var minute = 0; minute < 30; minute++)
        {
            Apply(Minute(minute, 40, 1));
        }
        Apply(Minute(30, 40, 1, deadLetters: 25));
        Apply(Minute(31, 40, 1, deadLetters: 25));
        Apply(Minute(32, 40, 1));
        var opened = Assert.Single(Apply(Minute(33, 40, 1)));
        Assert.Equal(("dead_letter_rate", 25.0), (opened.Kind, opened.Value));

        // Minutes 34-36 without any event: judged as a rate of 0 once the stream goes on and closes them (34 and 35 here).
        var changes = Apply(Minute(37, 40, 1));
        var drop = Assert.Single(changes, alert => alert.Kind == "event_rate");
        Assert.Equal(("open", Start.AddMinutes(34), 0.0), (drop.State, drop.OpenedAt, drop.Value));
    }

    [Fact]
    public void An_open_alert_and_its_baselines_survive_the_grain_state_round_trip_and_judging_goes_on_alike()
    {
        var serializer = new OrleansGrainStorageSerializer(new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(KpiBoard).Assembly).AddAssembly(typeof(Alert).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>());
        for (var minute = 0; minute < 30; minute++)
        {
            Apply(Minute(minute, 40, 1));
        }
        Apply(Minute(30, 40, 20));
        Apply(Minute(31, 40, 20));
        Apply(Minute(32, 40, 1));
        var opened = Assert.Single(Apply(Minute(33, 40, 1)));
        // One normal minute judged: the restored board must remember the run of normal minutes as well.
        Apply(Minute(34, 40, 1));

        _board = serializer.Deserialize<KpiBoard>(serializer.Serialize(_board)) ?? throw new InvalidDataException("The board did not come back.");

        Assert.Equal(opened, Assert.Single(_board.Alerts()));
        var closed = Assert.Single(Apply(Minute(35, 40, 1)));
        Assert.Equal((opened.Id, "closed", Start.AddMinutes(32)), (closed.Id, closed.State, closed.ClosedAt));
        Assert.Empty(Apply(Minute(36, 40, 20)));
    }
}
