namespace DataPlatform.Analytics.Segments;

/// <summary>A user's segment, churn risk, engagement score and recommended action as of a watermark.</summary>
[GenerateSerializer, Immutable, Alias("dp.SegmentEvaluation")]
public sealed record SegmentEvaluation(
    [property: Id(0)] string Segment,
    [property: Id(1)] string ChurnRisk,
    [property: Id(2)] double EngagementScore,
    [property: Id(3)] string RecommendedAction,
    [property: Id(4)] decimal Revenue,
    [property: Id(5)] DateTimeOffset NextReviewAt);
