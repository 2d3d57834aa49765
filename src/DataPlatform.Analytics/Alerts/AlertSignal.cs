namespace DataPlatform.Analytics.Alerts;

/// <summary>
/// One signal the alerts watch: its name, the direction that is anomalous, how a minute gives its value, and
/// the least spread its baseline is given (docs/metrics.md, "Anomaly alerts").
/// </summary>
public sealed class AlertSignal
{
    public static readonly AlertSignal EventRate = new("event_rate", AlertDirection.Below, minute => minute.Events,
        nameof(AlertOptions.EventRateMinSpread), options => options.EventRateMinSpread);
    public static readonly AlertSignal ErrorShare = new("error_share", AlertDirection.Above, minute => minute.ErrorShare,
        nameof(AlertOptions.ErrorShareMinSpread), options => options.ErrorShareMinSpread);
    public static readonly AlertSignal DeadLetterRate = new("dead_letter_rate", AlertDirection.Above, minute => minute.DeadLetters,
        nameof(AlertOptions.DeadLetterRateMinSpread), options => options.DeadLetterRateMinSpread);
    public static readonly AlertSignal ConsumerLag = new("consumer_lag", AlertDirection.Above, minute => minute.ConsumerLag,
        nameof(AlertOptions.ConsumerLagMinSpread), options => options.ConsumerLagMinSpread);

    public static IReadOnlyList<AlertSignal> All { get; } = [EventRate, ErrorShare, DeadLetterRate, ConsumerLag];

    private readonly Func<AlertMinute, double?> _valueOf;
    private readonly Func<AlertOptions, double> _minSpreadOf;

    private AlertSignal(string name, AlertDirection direction, Func<AlertMinute, double?> valueOf, string minSpreadSetting, Func<AlertOptions, double> minSpreadOf)
    {
        Name = name;
        MinSpreadSetting = minSpreadSetting;
        Direction = direction;
        _valueOf = valueOf;
        _minSpreadOf = minSpreadOf;
    }

    public string Name { get; }

    public AlertDirection Direction { get; }

    /// <summary>The name of the <see cref="AlertOptions"/> setting that holds the least spread.</summary>
    public string MinSpreadSetting { get; }

    /// <summary>The signal's value in a minute; null when the minute has none (no events for the error share, no lag report).</summary>
    public double? ValueOf(AlertMinute minute) => _valueOf(minute);

    /// <summary>The configured floor of the baseline's spread, in the signal's unit.</summary>
    public double MinSpread(AlertOptions options) => _minSpreadOf(options);

    /// <summary>
    /// How far <paramref name="value"/> lies from the baseline in the anomalous direction, in spreads: positive when it
    /// moved that way, negative when it moved the other way.
    /// </summary>
    public double Deviation(double value, RobustBaseline baseline) =>
        (Direction == AlertDirection.Above ? value - baseline.Median : baseline.Median - value) / baseline.Spread;

    /// <summary>The value at <paramref name="spreads"/> spreads from the baseline in the anomalous direction.</summary>
    public double Boundary(RobustBaseline baseline, double spreads) =>
        Direction == AlertDirection.Above ? baseline.Median + spreads * baseline.Spread : baseline.Median - spreads * baseline.Spread;

    /// <summary>The more extreme of two values in the anomalous direction.</summary>
    public double MoreExtreme(double first, double second) =>
        Direction == AlertDirection.Above ? Math.Max(first, second) : Math.Min(first, second);

    public string DirectionName => Direction == AlertDirection.Above ? "above" : "below";

    public static AlertSignal Named(string name) =>
        All.FirstOrDefault(signal => signal.Name == name) ?? throw new ArgumentException($"{name} is not an alert signal.", nameof(name));

    public override string ToString() => Name;
}
