namespace DataPlatform.Contracts.Messages;

/// <summary>
/// One thing a user did, normalised from an app event or a clickstream record (a clickstream record's
/// event type is its action). This is what user and session grains count.
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.UserActivity")]
public sealed record UserActivity
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required string UserId { get; init; }
    [Id(2)] public string? SessionId { get; init; }
    [Id(3)] public required string EventType { get; init; }
    [Id(4)] public required DateTimeOffset Timestamp { get; init; }
    [Id(5)] public string? AppType { get; init; }
    [Id(6)] public string? Device { get; init; }
    [Id(7)] public string? PageUrl { get; init; }
    [Id(8)] public double? Value { get; init; }
}
