namespace DataPlatform.Analytics.Segments;

/// <summary>The thresholds of segments and churn risk (configuration section "Segments").</summary>
public sealed class SegmentRules
{
    public const string SectionName = "Segments";

    /// <summary>VIP: at least this much revenue in the last 90 days...</summary>
    public decimal VipRevenue90Days { get; set; } = 1000m;

    /// <summary>...or at least this many purchases in the last 30 days.</summary>
    public int VipPurchases30Days { get; set; } = 5;

    /// <summary>Inactive: no event for more than this many days.</summary>
    public int InactiveAfterDays { get; set; } = 30;

    /// <summary>Active: sessions on at least this many distinct days of the last 7.</summary>
    public int ActiveSessionDays7 { get; set; } = 3;

    /// <summary>High churn risk: last seen more than this many days ago...</summary>
    public int HighChurnAfterDays { get; set; } = 14;

    /// <summary>...or, for a user with events this week, events of the last 7 days below this share of the 7 days before.</summary>
    public double HighChurnActivityDrop { get; set; } = 0.5;

    /// <summary>Medium churn risk: last seen more than this many days ago.</summary>
    public int MediumChurnAfterDays { get; set; } = 7;
}

/// <summary>Churn risk levels.</summary>
public static class ChurnRisk
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
}
