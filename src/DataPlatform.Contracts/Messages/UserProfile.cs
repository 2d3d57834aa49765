namespace DataPlatform.Contracts.Messages;

/// <summary>A user's live profile as held by its user grain (GET /users/{id}).</summary>
[GenerateSerializer, Immutable, Alias("dp.UserProfile")]
public sealed record UserProfile
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required DateTimeOffset FirstSeen { get; init; }
    [Id(2)] public required DateTimeOffset LastSeen { get; init; }
    [Id(3)] public required long TotalEvents { get; init; }
    [Id(4)] public required IReadOnlyDictionary<string, long> EventsByType { get; init; }
    [Id(5)] public required int Sessions { get; init; }
    [Id(6)] public required long Purchases { get; init; }
    [Id(7)] public required decimal TotalRevenue { get; init; }
    [Id(8)] public required IReadOnlyList<string> AppTypes { get; init; }
    [Id(9)] public required IReadOnlyList<string> Devices { get; init; }

    /// <summary>The country of the user's latest profile update (topic_users), if any.</summary>
    [Id(10)] public string? Country { get; init; }

    /// <summary>0–100: recency, frequency and monetary value (docs/metrics.md).</summary>
    [Id(11)] public double EngagementScore { get; init; }

    [Id(12)] public string? Segment { get; init; }

    [Id(13)] public string? ChurnRisk { get; init; }

    [Id(14)] public string? RecommendedAction { get; init; }
}
