namespace DataPlatform.Contracts.Messages;

/// <summary>A session's live state as held by its session grain (GET /sessions/{id}).</summary>
[GenerateSerializer, Immutable, Alias("dp.SessionSnapshot")]
public sealed record SessionSnapshot
{
    [Id(0)] public required string SessionId { get; init; }
    [Id(1)] public required string UserId { get; init; }
    [Id(2)] public required DateTimeOffset StartedAt { get; init; }
    [Id(3)] public required DateTimeOffset LastActivity { get; init; }
    [Id(4)] public required double DurationS { get; init; }
    [Id(5)] public required int Events { get; init; }
    [Id(6)] public required int PageViews { get; init; }
    [Id(7)] public required int Clicks { get; init; }
    [Id(8)] public required bool IsBounce { get; init; }
    [Id(9)] public required bool Converted { get; init; }
    [Id(10)] public string? EntryPage { get; init; }
    [Id(11)] public string? ExitPage { get; init; }
    [Id(12)] public required IReadOnlyList<string> Path { get; init; }

    /// <summary>True once the watermark passed the last activity by the session timeout (30 minutes).</summary>
    [Id(13)] public bool Closed { get; init; }

    /// <summary>How far down the purchase funnel the session went: 0 none, 1 viewed, 2 added to cart, 3 checked out, 4 purchased.</summary>
    [Id(14)] public int FunnelStep { get; init; }

    /// <summary>The session's app type (ios, android, web); the first in ordinal order when its events name several.</summary>
    [Id(15)] public string? AppType { get; init; }
}
