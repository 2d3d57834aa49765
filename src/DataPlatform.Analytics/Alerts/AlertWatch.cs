using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Alerts;

/// <summary>
/// The anomaly detector: judges each closed minute of event time, in order, on every signal
/// (<see cref="AlertSignal.All"/>) and keeps the open alerts and the most recent closed ones. Pure state, held in the
/// KPI grain's board so that it is checkpointed with the figures it judges.
/// </summary>
[GenerateSerializer, Alias("dp.AlertWatch")]
public sealed class AlertWatch
{
    [Id(0)] private readonly Dictionary<string, SignalWatch> _signals = new(StringComparer.Ordinal);
    [Id(1)] private readonly List<Alert> _closed = [];

    /// <summary>The start of the last minute judged; null before the first.</summary>
    [Id(2)] public DateTimeOffset? LastJudged { get; private set; }

    /// <summary>Judges the next closed minute; returns the alerts that opened or closed with it.</summary>
    public IReadOnlyList<Alert> Judge(AlertMinute minute, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (minute.Start <= LastJudged)
        {
            throw new ArgumentException($"Minute {minute.Start:O} was judged already (the last was {LastJudged:O}).", nameof(minute));
        }
        var changes = new List<Alert>();
        foreach (var signal in AlertSignal.All)
        {
            // A minute without a value (no events for the error share, no lag report) neither counts for nor against an alert.
            if (signal.ValueOf(minute) is not { } value)
            {
                continue;
            }
            if (!_signals.TryGetValue(signal.Name, out var watch))
            {
                watch = new SignalWatch();
                _signals[signal.Name] = watch;
            }
            if (watch.Judge(signal, minute.Start, value, options) is { } change)
            {
                changes.Add(change);
                if (change.ClosedAt is not null)
                {
                    _closed.Add(change);
                }
            }
        }
        if (_closed.Count > options.RecentClosed)
        {
            _closed.RemoveRange(0, _closed.Count - options.RecentClosed);
        }
        LastJudged = minute.Start;
        return changes;
    }

    /// <summary>The open alerts, oldest first, then the recent closed ones, most recently closed first.</summary>
    public IReadOnlyList<Alert> Alerts() =>
    [
        .. _signals.Values.Select(watch => watch.Open).OfType<Alert>().OrderBy(alert => alert.OpenedAt).ThenBy(alert => alert.Kind, StringComparer.Ordinal),
        .. Enumerable.Reverse(_closed),
    ];
}
