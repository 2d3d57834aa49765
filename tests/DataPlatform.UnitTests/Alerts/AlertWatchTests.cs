using DataPlatform.Analytics.Alerts;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Alerts;

/// <summary>The anomaly detector on minutes fed to it directly, with the default rule (docs/metrics.md, "Anomaly alerts").</summary>
public sealed class AlertWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
    private readonly AlertOptions _options = new();
    private readonly AlertWatch _watch = new();
    private readonly List<Alert> _changes = [];
    private int _minute;

    /// <summary>A lively stream: about 600 events a minute, 2 % errors, a few dead letters, some lag, all wobbling a little.</summary>
    private static AlertMinute Steady(int minute, DateTimeOffset start) => new(
        start,
        600 + (minute * 7 % 11) - 5,
        12 + minute % 3 - 1,
        minute % 3,
        200 + minute * 37 % 150);

    private void Feed(int minutes, Func<int, DateTimeOffset, AlertMinute> shape)
    {
        for (var i = 0; i < minutes; i++, _minute++)
        {
            _changes.AddRange(_watch.Judge(shape(_minute, Start.AddMinutes(_minute)), _options));
        }
    }

    private static AlertMinute Errors(int minute, DateTimeOffset start, double share) =>
        Steady(minute, start) with { Events = 600, Errors = (long)(600 * share) };

    [Fact]
    public void A_steady_stream_raises_no_alert()
    {
        Feed(180, Steady);

        Assert.Empty(_changes);
        Assert.Empty(_watch.Alerts());
        Assert.Equal(Start.AddMinutes(179), _watch.LastJudged);
    }

    [Fact]
    public void An_error_burst_opens_an_alert_after_two_minutes_and_closes_it_two_normal_minutes_after_recovery()
    {
        Feed(30, Steady);
        Feed(1, (minute, start) => Errors(minute, start, 0.5));
        Assert.Empty(_changes);

        Feed(2, (minute, start) => Errors(minute, start, 0.45));
        var opened = Assert.Single(_changes);
        Assert.Equal("error_share", opened.Kind);
        Assert.Equal("above", opened.Direction);
        Assert.Equal("open", opened.State);
        Assert.Equal(Start.AddMinutes(30), opened.OpenedAt);
        Assert.Equal("error_share-202611201030", opened.Id);
        Assert.Equal(0.5, opened.Value);
        Assert.Equal(0.02, opened.Baseline, 3);
        Assert.True(opened.Threshold is > 0.02 and < 0.5, $"threshold {opened.Threshold}");
        Assert.Equal(opened, Assert.Single(_watch.Alerts()));

        Feed(1, Steady);
        Assert.Single(_changes);
        Feed(1, Steady);
        var closed = _changes[^1];
        Assert.Equal(2, _changes.Count);
        Assert.Equal(opened.Id, closed.Id);
        Assert.Equal("closed", closed.State);
        Assert.Equal(Start.AddMinutes(33), closed.ClosedAt);
        Assert.Equal(0.5, closed.Peak);
        Assert.Contains("back to normal", closed.Detail, StringComparison.Ordinal);
        Assert.Equal(closed, Assert.Single(_watch.Alerts()));

        Feed(60, Steady);
        Assert.Equal(2, _changes.Count);
    }

    [Fact]
    public void A_rate_drop_opens_an_alert_below_the_baseline()
    {
        Feed(40, Steady);
        Feed(4, (minute, start) => Steady(minute, start) with { Events = 150, Errors = 3 });

        var opened = Assert.Single(_changes);
        Assert.Equal("event_rate", opened.Kind);
        Assert.Equal("below", opened.Direction);
        Assert.Equal(Start.AddMinutes(40), opened.OpenedAt);
        Assert.Equal(150, opened.Value);
        Assert.Equal(600, opened.Baseline, 0);
        Assert.True(opened.Threshold is < 600 and > 150, $"threshold {opened.Threshold}");

        Feed(2, Steady);
        Assert.Equal([("event_rate", "open"), ("event_rate", "closed")], _changes.Select(alert => (alert.Kind, alert.State)));
        Assert.Equal(Start.AddMinutes(44), _changes[^1].ClosedAt);
        Assert.Equal(150, _changes[^1].Peak);
    }

    [Fact]
    public void A_value_between_the_close_and_the_open_threshold_keeps_an_open_alert_open()
    {
        // A flat 2 % error share: the spread is its floor (0.02), so the open threshold is 0.10 and the close threshold 0.06.
        Feed(30, (minute, start) => Errors(minute, start, 0.02));
        Feed(2, (minute, start) => Errors(minute, start, 0.2));
        Assert.Equal("open", Assert.Single(_changes).State);

        Feed(10, (minute, start) => Errors(minute, start, 0.08));
        Assert.Single(_changes);
        Assert.Equal("open", Assert.Single(_watch.Alerts()).State);

        // One normal minute, then one in between again: the run of normal minutes starts over.
        Feed(1, (minute, start) => Errors(minute, start, 0.02));
        Feed(1, (minute, start) => Errors(minute, start, 0.08));
        Assert.Single(_changes);

        Feed(2, (minute, start) => Errors(minute, start, 0.05));
        Assert.Equal(2, _changes.Count);
        Assert.Equal(Start.AddMinutes(44), _changes[^1].ClosedAt);
        Assert.Equal(0.2, _changes[^1].Peak);
    }

    [Fact]
    public void Nothing_opens_before_the_baseline_holds_its_minimum_of_minutes()
    {
        Feed(_options.MinBaselineMinutes - 2, Steady);
        Feed(2, (minute, start) => Errors(minute, start, 0.5));
        Assert.Empty(_changes);

        Feed(20, Steady);
        Feed(2, (minute, start) => Errors(minute, start, 0.5));
        Assert.Equal("error_share", Assert.Single(_changes).Kind);
    }

    [Fact]
    public void A_single_anomalous_minute_opens_nothing()
    {
        Feed(30, Steady);
        Feed(1, (minute, start) => Errors(minute, start, 0.5));
        Feed(1, Steady);
        Feed(1, (minute, start) => Errors(minute, start, 0.5));
        Feed(30, Steady);

        Assert.Empty(_changes);
    }

    [Fact]
    public void A_flat_baseline_does_not_alert_on_small_changes()
    {
        // Exactly 600 events, no errors, no dead letters, no lag: the MAD is 0 and only the floors give the spread.
        Feed(30, (_, start) => new AlertMinute(start, 600, 0, 0, 0));
        Feed(5, (minute, start) => new AlertMinute(start, 560, 6, 3, 900));

        Assert.Empty(_changes);
    }

    [Fact]
    public void Dead_letters_and_consumer_lag_open_alerts_of_their_own()
    {
        Feed(30, Steady);
        Feed(2, (minute, start) => Steady(minute, start) with { DeadLetters = 40, ConsumerLag = 50_000 });

        Assert.Equal(["dead_letter_rate", "consumer_lag"], _changes.Select(alert => alert.Kind));
        Assert.All(_changes, alert => Assert.Equal("above", alert.Direction));
    }

    [Fact]
    public void A_minute_without_a_value_neither_breaks_nor_counts_for_a_run()
    {
        Feed(30, Steady);
        Feed(1, (minute, start) => Errors(minute, start, 0.5));
        // No events and no lag report: no error share, no lag. The event rate of 0 opens its own alert later.
        Feed(1, (_, start) => new AlertMinute(start, 0, 0, 0, null));
        Feed(1, (minute, start) => Errors(minute, start, 0.5));

        var errorShare = Assert.Single(_changes, alert => alert.Kind == "error_share");
        Assert.Equal(Start.AddMinutes(30), errorShare.OpenedAt);
    }

    [Fact]
    public void A_minute_is_judged_once()
    {
        Feed(3, Steady);

        Assert.Throws<ArgumentException>(() => _watch.Judge(Steady(1, Start.AddMinutes(1)), _options));
    }

    [Fact]
    public void Only_the_most_recent_closed_alerts_are_kept()
    {
        var options = new AlertOptions { RecentClosed = 2 };
        var watch = new AlertWatch();
        var minute = 0;
        void FeedRule(int minutes, Func<int, DateTimeOffset, AlertMinute> shape)
        {
            for (var i = 0; i < minutes; i++, minute++)
            {
                watch.Judge(shape(minute, Start.AddMinutes(minute)), options);
            }
        }
        FeedRule(30, Steady);
        for (var burst = 0; burst < 3; burst++)
        {
            FeedRule(2, (m, start) => Errors(m, start, 0.5));
            FeedRule(5, Steady);
        }

        var kept = watch.Alerts();
        Assert.Equal(2, kept.Count);
        Assert.All(kept, alert => Assert.Equal("closed", alert.State));
        Assert.True(kept[0].ClosedAt > kept[1].ClosedAt);
    }
}
