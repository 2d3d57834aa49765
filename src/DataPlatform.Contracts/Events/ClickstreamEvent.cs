namespace DataPlatform.Contracts.Events;

/// <summary>A web clickstream event (topic_clickstream, keyed by user_id).</summary>
[GenerateSerializer, Immutable, Alias("dp.ClickstreamEvent")]
public sealed record ClickstreamEvent
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required string UserId { get; init; }
    [Id(2)] public required string SessionId { get; init; }
    [Id(3)] public required string PageUrl { get; init; }
    [Id(4)] public required string Action { get; init; }
    [Id(5)] public required DateTimeOffset Timestamp { get; init; }
    [Id(6)] public string? Referrer { get; init; }
    [Id(7)] public string? Device { get; init; }
}
