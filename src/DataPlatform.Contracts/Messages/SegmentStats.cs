namespace DataPlatform.Contracts.Messages;

/// <summary>
/// A change to one segment's figures: members joining (+1) or leaving (−1) with their engagement score
/// and total revenue. Users report transitions and score changes; silos batch them.
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.SegmentStats")]
public sealed record SegmentStats : ISummable<SegmentStats>
{
    [Id(0)] public long Users { get; init; }
    [Id(1)] public double EngagementSum { get; init; }
    [Id(2)] public decimal Revenue { get; init; }

    public SegmentStats Plus(SegmentStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new SegmentStats { Users = Users + other.Users, EngagementSum = EngagementSum + other.EngagementSum, Revenue = Revenue + other.Revenue };
    }
}

/// <summary>One segment as served by GET /segments.</summary>
[GenerateSerializer, Immutable, Alias("dp.SegmentSummary")]
public sealed record SegmentSummary
{
    [Id(0)] public required string Segment { get; init; }
    [Id(1)] public required long Users { get; init; }
    [Id(2)] public double? AvgEngagement { get; init; }
    [Id(3)] public required decimal TotalRevenue { get; init; }
}
