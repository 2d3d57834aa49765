namespace DataPlatform.Analytics.Alerts;

/// <summary>The anomaly alerts' rule (configuration section <c>Alerts</c>; docs/metrics.md, "Anomaly alerts").</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    public const int DefaultBaselineMinutes = 30;
    public const int DefaultMinBaselineMinutes = 10;
    public const double DefaultOpenThreshold = 4;
    public const double DefaultCloseThreshold = 2;
    public const int DefaultOpenAfterMinutes = 2;
    public const int DefaultCloseAfterMinutes = 2;
    public const double DefaultRelativeFloor = 0.1;
    public const double DefaultEventRateMinSpread = 5;
    public const double DefaultErrorShareMinSpread = 0.02;
    public const double DefaultDeadLetterRateMinSpread = 2;
    public const double DefaultConsumerLagMinSpread = 1000;
    public const int DefaultRecentClosed = 50;

    /// <summary>The baseline: a signal's values in this many closed minutes before the minute judged.</summary>
    public int BaselineMinutes { get; set; } = DefaultBaselineMinutes;

    /// <summary>No alert opens before the baseline holds this many minutes with a value.</summary>
    public int MinBaselineMinutes { get; set; } = DefaultMinBaselineMinutes;

    /// <summary>A minute is anomalous when its value lies more than this many spreads from the median, in the signal's direction.</summary>
    public double OpenThreshold { get; set; } = DefaultOpenThreshold;

    /// <summary>A minute is normal again when its value lies at most this many spreads from the median (lower than the open threshold).</summary>
    public double CloseThreshold { get; set; } = DefaultCloseThreshold;

    /// <summary>An alert opens after this many anomalous minutes in a row.</summary>
    public int OpenAfterMinutes { get; set; } = DefaultOpenAfterMinutes;

    /// <summary>An open alert closes after this many normal minutes in a row.</summary>
    public int CloseAfterMinutes { get; set; } = DefaultCloseAfterMinutes;

    /// <summary>The spread is at least this share of the median's size.</summary>
    public double RelativeFloor { get; set; } = DefaultRelativeFloor;

    /// <summary>The least spread of the event rate, in events per minute.</summary>
    public double EventRateMinSpread { get; set; } = DefaultEventRateMinSpread;

    /// <summary>The least spread of the error share (0.02: two percentage points).</summary>
    public double ErrorShareMinSpread { get; set; } = DefaultErrorShareMinSpread;

    /// <summary>The least spread of the dead-letter rate, in dead letters per minute.</summary>
    public double DeadLetterRateMinSpread { get; set; } = DefaultDeadLetterRateMinSpread;

    /// <summary>The least spread of the consumer lag, in records.</summary>
    public double ConsumerLagMinSpread { get; set; } = DefaultConsumerLagMinSpread;

    /// <summary>How many closed alerts GET /alerts keeps beside the open ones (the newest).</summary>
    public int RecentClosed { get; set; } = DefaultRecentClosed;
}
