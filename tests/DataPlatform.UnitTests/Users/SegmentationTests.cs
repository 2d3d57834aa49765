using DataPlatform.Analytics.Segments;
using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.UnitTests.Users;

public sealed class SegmentationTests
{
    private static readonly DateTimeOffset Watermark = new(2026, 11, 20, 18, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Watermark.UtcDateTime);
    private readonly SegmentRules _rules = new();

    private SegmentEvaluation Evaluate(DateTimeOffset lastSeen, Dictionary<DateOnly, DayActivity> days, params (DateOnly, decimal)[] orders) =>
        Segmentation.Evaluate(lastSeen, days, orders, Watermark, _rules);

    private static Dictionary<DateOnly, DayActivity> Days(params (int DaysAgo, long Events, long SessionEvents, long Purchases, decimal Value)[] days) =>
        days.ToDictionary(d => Today.AddDays(-d.DaysAgo), d => new DayActivity
        {
            Events = d.Events,
            SessionEvents = d.SessionEvents,
            Purchases = d.Purchases,
            PurchaseValue = d.Value,
        });

    [Fact]
    public void Revenue_of_at_least_1000_in_90_days_makes_a_vip_counting_orders_too()
    {
        var days = Days((0, 3, 3, 1, 400m));

        Assert.Equal(SegmentNames.Regular, Evaluate(Watermark, days).Segment);
        Assert.Equal(SegmentNames.Vip, Evaluate(Watermark, days, (Today.AddDays(-89), 600m)).Segment);
        Assert.Equal(SegmentNames.Regular, Evaluate(Watermark, days, (Today.AddDays(-90), 600m)).Segment);
    }

    [Fact]
    public void Five_purchases_in_30_days_make_a_vip()
    {
        Assert.Equal(SegmentNames.Vip, Evaluate(Watermark, Days((0, 5, 5, 3, 1m), (29, 2, 2, 2, 1m))).Segment);
        Assert.Equal(SegmentNames.Regular, Evaluate(Watermark, Days((0, 5, 5, 3, 1m), (30, 2, 2, 2, 1m))).Segment);
    }

    [Fact]
    public void No_event_for_more_than_30_days_is_inactive()
    {
        Assert.Equal(SegmentNames.Regular, Evaluate(Watermark.AddDays(-30), Days((30, 1, 1, 0, 0))).Segment);
        Assert.Equal(SegmentNames.Inactive, Evaluate(Watermark.AddDays(-31), Days((31, 1, 1, 0, 0))).Segment);
    }

    [Fact]
    public void Sessions_on_three_distinct_days_of_the_last_seven_are_active()
    {
        Assert.Equal(SegmentNames.Active, Evaluate(Watermark, Days((0, 1, 1, 0, 0), (3, 1, 1, 0, 0), (6, 1, 1, 0, 0))).Segment);
        Assert.Equal(SegmentNames.Regular, Evaluate(Watermark, Days((0, 1, 1, 0, 0), (3, 1, 1, 0, 0), (7, 1, 1, 0, 0))).Segment);
        Assert.Equal(SegmentNames.Regular, Evaluate(Watermark, Days((0, 1, 1, 0, 0), (3, 1, 0, 0, 0), (6, 1, 1, 0, 0))).Segment);
    }

    [Fact]
    public void Churn_risk_follows_recency_and_a_drop_in_weekly_activity()
    {
        Assert.Equal(ChurnRisk.Low, Evaluate(Watermark.AddDays(-7), Days((7, 1, 1, 0, 0))).ChurnRisk);
        Assert.Equal(ChurnRisk.Medium, Evaluate(Watermark.AddDays(-8), Days((8, 1, 1, 0, 0))).ChurnRisk);
        Assert.Equal(ChurnRisk.High, Evaluate(Watermark.AddDays(-15), Days((15, 1, 1, 0, 0))).ChurnRisk);
        // 10 events the week before, 4 this week: fell by more than half.
        Assert.Equal(ChurnRisk.High, Evaluate(Watermark, Days((0, 4, 4, 0, 0), (9, 10, 10, 0, 0))).ChurnRisk);
        Assert.Equal(ChurnRisk.Low, Evaluate(Watermark, Days((0, 5, 5, 0, 0), (9, 10, 10, 0, 0))).ChurnRisk);
    }

    [Fact]
    public void Engagement_weighs_recency_frequency_and_money()
    {
        Assert.Equal(100, Segmentation.EngagementScore(0, 100, 1000m));
        Assert.Equal(40, Segmentation.EngagementScore(0, 0, 0m));
        Assert.Equal(0, Segmentation.EngagementScore(30, 0, 0m));
        Assert.Equal(50, Segmentation.EngagementScore(15, 50, 500m));
        Assert.Equal(52.7, Segmentation.EngagementScore(10, 40, 500m));
        Assert.Equal(100, Segmentation.EngagementScore(0, 5000, 90_000m));
    }

    [Fact]
    public void Each_segment_and_risk_has_an_action()
    {
        Assert.Equal("vip_winback_call", Segmentation.RecommendedAction(SegmentNames.Vip, ChurnRisk.High));
        Assert.Equal("loyalty_program_invite", Segmentation.RecommendedAction(SegmentNames.Active, ChurnRisk.Low));
        Assert.Equal("winback_campaign", Segmentation.RecommendedAction(SegmentNames.Inactive, ChurnRisk.High));
        Assert.All(SegmentNames.All, segment => Assert.All(new[] { ChurnRisk.Low, ChurnRisk.Medium, ChurnRisk.High },
            churn => Assert.False(string.IsNullOrEmpty(Segmentation.RecommendedAction(segment, churn)))));
    }

    [Fact]
    public void The_next_review_is_when_the_day_ends()
    {
        Assert.Equal(new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero), Evaluate(Watermark, Days((0, 1, 1, 0, 0))).NextReviewAt);
    }

    [Fact]
    public void A_user_reports_a_change_only_when_its_segment_figures_change()
    {
        var user = new UserAggregate();
        user.Apply(new UserActivity { EventId = "e1", UserId = "u", EventType = "click", Timestamp = Watermark });

        Assert.True(user.Reevaluate(Watermark, _rules, out var first));
        Assert.Null(first);
        user.MarkSegmentCounted();
        Assert.False(user.Reevaluate(Watermark.AddHours(1), _rules, out _));
        Assert.True(user.Reevaluate(Watermark.AddDays(8), _rules, out var before));
        Assert.Equal(ChurnRisk.Low, before!.ChurnRisk);
        Assert.Equal(ChurnRisk.Medium, user.Evaluation!.ChurnRisk);
    }
}
