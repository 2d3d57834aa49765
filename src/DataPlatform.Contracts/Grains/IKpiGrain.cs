using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>
/// The live KPIs of one scope (key "global"). Fed by per-silo pre-aggregators about once a second,
/// never once per event; pushes its snapshot to subscribed web hosts about once a second.
/// </summary>
[Alias("dp.IKpiGrain")]
public interface IKpiGrain : IGrainWithStringKey
{
    public const string GlobalScope = "global";

    /// <summary>Folds in one silo's delta and answers with the cluster's event-time watermark.</summary>
    [Alias("Report")]
    Task<DateTimeOffset?> ReportAsync(KpiDelta delta);

    [Alias("GetSnapshot")]
    Task<KpiSnapshot> GetSnapshotAsync();

    /// <summary>The last <paramref name="minutes"/> minutes of event time, oldest first.</summary>
    [Alias("GetHistory")]
    Task<IReadOnlyList<KpiMinute>> GetHistoryAsync(int minutes);

    /// <summary>The summary of one UTC date.</summary>
    [Alias("GetDailySummary")]
    Task<DailySummary> GetDailySummaryAsync(DateOnly day);

    /// <summary>Units sold, orders and revenue per product, from the orders that count.</summary>
    [Alias("GetProductPerformance")]
    Task<IReadOnlyDictionary<string, ProductSales>> GetProductPerformanceAsync();

    /// <summary>The 1-hour windows by (event_type, app_type) still kept, oldest first.</summary>
    [Alias("GetHourlyMetrics")]
    Task<IReadOnlyList<EventMetric>> GetHourlyMetricsAsync();

    /// <summary>The 1-minute windows by (event_type, app_type) of the last <paramref name="minutes"/> minutes, oldest first.</summary>
    [Alias("GetMinuteMetrics")]
    Task<IReadOnlyList<EventMetric>> GetMinuteMetricsAsync(int minutes);

    /// <summary>The purchase funnel of every day and app type with closed sessions.</summary>
    [Alias("GetFunnels")]
    Task<IReadOnlyList<FunnelDay>> GetFunnelsAsync();

    /// <summary>Weekly cohort retention: every cohort cell, by cohort week then week number.</summary>
    [Alias("GetCohorts")]
    Task<IReadOnlyList<CohortRetention>> GetCohortsAsync();

    /// <summary>The open anomaly alerts, oldest first, then the recent closed ones, most recently closed first.</summary>
    [Alias("GetAlerts")]
    Task<IReadOnlyList<Alert>> GetAlertsAsync();

    /// <summary>Forgets an erased user's last-seen time and their sessions' (the only per-user data the KPIs keep).</summary>
    [Alias("ForgetUser")]
    Task<bool> ForgetUserAsync(string userId, IReadOnlyList<string> sessionIds);

    /// <summary>Registers (or refreshes) an observer; observers not refreshed within a minute are dropped.</summary>
    [Alias("Subscribe")]
    Task SubscribeAsync(IKpiObserver observer);

    /// <summary>
    /// Hands the gold rows that changed since the last call (daily summary, daily sales, closed hours of
    /// event metrics, product performance, purchase funnels, cohort retention, anomaly alerts, ops metrics) to the lake writer of the grain's silo. Runs on a
    /// timer; callable to publish at once.
    /// </summary>
    Task PublishGoldAsync();

    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IKpiObserver observer);

    /// <summary>
    /// Hands every segment change received so far to the segment grains now (a timer does it once a second);
    /// throws when one cannot be delivered. A checkpoint calls it before it snapshots the segment grains.
    /// </summary>
    [Alias("ForwardSegments")]
    Task ForwardSegmentsAsync();
}
