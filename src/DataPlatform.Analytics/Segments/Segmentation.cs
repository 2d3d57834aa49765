using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Segments;

/// <summary>
/// The rules that turn a user's activity into a segment, a churn risk, an engagement score (0–100) and a
/// recommended action, as of an event-time watermark. Everything is counted in whole UTC dates: "the
/// last N days" are the N dates ending with the watermark's date, and "days since last seen" is the
/// number of dates between the last event's date and the watermark's date.
/// </summary>
public static class Segmentation
{
    /// <summary>
    /// Engagement = 40 × recency (1 at the watermark, 0 after 30 days) + 40 × frequency (events of the
    /// last 30 days / 100, at most 1) + 20 × monetary (revenue of the last 90 days / 1000, at most 1),
    /// rounded to one decimal.
    /// </summary>
    public static double EngagementScore(double daysSinceLastSeen, long events30Days, decimal revenue90Days)
    {
        var recency = Math.Max(0, 1 - daysSinceLastSeen / 30);
        var frequency = Math.Min(1, events30Days / 100.0);
        var monetary = Math.Min(1, (double)revenue90Days / 1000);
        return Math.Round(40 * recency + 40 * frequency + 20 * monetary, 1);
    }

    public static SegmentEvaluation Evaluate(
        DateTimeOffset lastSeen,
        IReadOnlyDictionary<DateOnly, DayActivity> days,
        IEnumerable<(DateOnly Date, decimal Amount)> orders,
        DateTimeOffset watermark,
        SegmentRules rules)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(rules);
        var today = DateOnly.FromDateTime(watermark.UtcDateTime);
        bool Within(DateOnly date, int n) => date > today.AddDays(-n) && date <= today;
        long Sum(int n, Func<DayActivity, long> value) => days.Where(day => Within(day.Key, n)).Sum(day => value(day.Value));

        var orderList = orders.ToList();
        var revenue90 = days.Where(day => Within(day.Key, 90)).Sum(day => day.Value.PurchaseValue)
            + orderList.Where(order => Within(order.Date, 90)).Sum(order => order.Amount);
        var purchases30 = Sum(30, day => day.Purchases);
        var sessionDays7 = days.Count(day => Within(day.Key, 7) && day.Value.SessionEvents > 0);
        var events7 = Sum(7, day => day.Events);
        var eventsBefore = days.Where(day => day.Key > today.AddDays(-14) && day.Key <= today.AddDays(-7)).Sum(day => day.Value.Events);
        // Whole UTC dates: the answer changes only with new events or when a day ends.
        var daysSince = Math.Max(0, today.DayNumber - DateOnly.FromDateTime(lastSeen.UtcDateTime).DayNumber);

        var segment = revenue90 >= rules.VipRevenue90Days || purchases30 >= rules.VipPurchases30Days ? SegmentNames.Vip
            : daysSince > rules.InactiveAfterDays ? SegmentNames.Inactive
            : sessionDays7 >= rules.ActiveSessionDays7 ? SegmentNames.Active
            : SegmentNames.Regular;
        // The drop rule is for users still active this week; for the others recency decides.
        var activityDropped = events7 > 0 && events7 < eventsBefore * rules.HighChurnActivityDrop;
        var churn = daysSince > rules.HighChurnAfterDays || activityDropped ? ChurnRisk.High
            : daysSince > rules.MediumChurnAfterDays ? ChurnRisk.Medium
            : ChurnRisk.Low;
        var score = EngagementScore(daysSince, Sum(30, day => day.Events), revenue90);

        // Without new events the answer can change when a day ends (windows move) or a threshold passes.
        var nextMidnight = new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        return new SegmentEvaluation(segment, churn, score, RecommendedAction(segment, churn), revenue90, nextMidnight);
    }

    public static string RecommendedAction(string segment, string churn) => (segment, churn) switch
    {
        (SegmentNames.Vip, ChurnRisk.High) => "vip_winback_call",
        (SegmentNames.Vip, ChurnRisk.Medium) => "vip_personal_offer",
        (SegmentNames.Vip, _) => "vip_early_access",
        (SegmentNames.Active, ChurnRisk.Low) => "loyalty_program_invite",
        (SegmentNames.Active, _) => "re_engagement_push",
        (SegmentNames.Regular, ChurnRisk.High) => "discount_coupon",
        (SegmentNames.Regular, ChurnRisk.Medium) => "reminder_email",
        (SegmentNames.Regular, _) => "product_recommendations",
        _ => "winback_campaign",
    };
}
