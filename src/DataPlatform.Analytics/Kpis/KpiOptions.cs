namespace DataPlatform.Analytics.Kpis;

/// <summary>The windows behind the live KPIs.</summary>
public sealed class KpiOptions
{
    public static readonly TimeSpan DefaultActiveUserWindow = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultActiveSessionWindow = TimeSpan.FromMinutes(30);
    public const int DefaultRateWindowSeconds = 10;

    /// <summary>A user is active when it has an event this close (in event time) to the watermark.</summary>
    public TimeSpan ActiveUserWindow { get; set; } = DefaultActiveUserWindow;

    /// <summary>A session is active when it has an event this close (in event time) to the watermark.</summary>
    public TimeSpan ActiveSessionWindow { get; set; } = DefaultActiveSessionWindow;

    /// <summary>Events per second is averaged over this many seconds of processing time.</summary>
    public int RateWindowSeconds { get; set; } = DefaultRateWindowSeconds;

    public static readonly TimeSpan DefaultAllowedLateness = TimeSpan.FromMinutes(10);

    /// <summary>
    /// A window accepts events until its end plus this much is behind the watermark; later events are
    /// counted as late and not merged into it.
    /// </summary>
    public TimeSpan AllowedLateness { get; set; } = DefaultAllowedLateness;

    /// <summary>How much per-minute history is kept (GET /kpis/history can ask for at most this).</summary>
    public TimeSpan MinuteHistory { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How much hourly history is kept.</summary>
    public TimeSpan HourHistory { get; set; } = TimeSpan.FromDays(7);
}
