using System.Globalization;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Alerts;

/// <summary>
/// The alert state of one signal: its baseline of recent minutes, the run of anomalous (or, while an alert is open,
/// normal) minutes so far, and the open alert. Minutes come in order, each once.
/// </summary>
[GenerateSerializer, Alias("dp.SignalWatch")]
public sealed class SignalWatch
{
    [Id(0)] private readonly List<double> _baseline = [];
    [Id(1)] private int _run;
    [Id(2)] private Alert? _candidate;
    [Id(3)] private DateTimeOffset? _normalSince;

    /// <summary>The signal's open alert, or null.</summary>
    [Id(4)] public Alert? Open { get; private set; }

    /// <summary>
    /// Judges the signal's value in the next closed minute against the baseline of the minutes before it, then adds
    /// it to the baseline. Returns the alert when it opened or closed with this minute.
    /// </summary>
    public Alert? Judge(AlertSignal signal, DateTimeOffset minute, double value, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(signal);
        ArgumentNullException.ThrowIfNull(options);
        Alert? change = null;
        if (_baseline.Count >= options.MinBaselineMinutes)
        {
            var baseline = RobustBaseline.Of(_baseline, options.RelativeFloor, signal.MinSpread(options));
            var deviation = signal.Deviation(value, baseline);
            change = Open is null ? WatchForOpening(signal, minute, value, baseline, deviation, options) : WatchForClosing(signal, minute, value, deviation, options);
        }
        _baseline.Add(value);
        if (_baseline.Count > options.BaselineMinutes)
        {
            _baseline.RemoveRange(0, _baseline.Count - options.BaselineMinutes);
        }
        return change;
    }

    private Alert? WatchForOpening(AlertSignal signal, DateTimeOffset minute, double value, RobustBaseline baseline, double deviation, AlertOptions options)
    {
        if (deviation <= options.OpenThreshold)
        {
            _candidate = null;
            _run = 0;
            return null;
        }
        // The alert is dated and valued by the first anomalous minute of the run, judged against the baseline before it.
        _candidate = _candidate is null
            ? new Alert
            {
                Id = $"{signal.Name}-{minute.UtcDateTime.ToString("yyyyMMddHHmm", CultureInfo.InvariantCulture)}",
                Kind = signal.Name,
                Direction = signal.DirectionName,
                OpenedAt = minute,
                Value = value,
                Baseline = baseline.Median,
                Mad = baseline.Mad,
                Threshold = signal.Boundary(baseline, options.OpenThreshold),
                Peak = value,
            }
            : _candidate with { Peak = signal.MoreExtreme(_candidate.Peak, value) };
        if (++_run < options.OpenAfterMinutes)
        {
            return null;
        }
        Open = _candidate;
        _candidate = null;
        _run = 0;
        return Open;
    }

    private Alert? WatchForClosing(AlertSignal signal, DateTimeOffset minute, double value, double deviation, AlertOptions options)
    {
        var open = Open! with { Peak = signal.MoreExtreme(Open!.Peak, value) };
        Open = open;
        // Hysteresis: a value between the close and the open threshold is not normal yet, and breaks a run of normal minutes.
        if (deviation > options.CloseThreshold)
        {
            _normalSince = null;
            _run = 0;
            return null;
        }
        _normalSince ??= minute;
        if (++_run < options.CloseAfterMinutes)
        {
            return null;
        }
        var closed = open with { ClosedAt = _normalSince };
        Open = null;
        _normalSince = null;
        _run = 0;
        return closed;
    }
}
