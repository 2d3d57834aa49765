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
}
