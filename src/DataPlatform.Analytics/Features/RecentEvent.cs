namespace DataPlatform.Analytics.Features;

/// <summary>One event of the last 7 days, as the live feature windows need it.</summary>
[GenerateSerializer, Immutable, Alias("dp.RecentEvent")]
public readonly record struct RecentEvent(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string EventType,
    [property: Id(2)] string? SessionId);
