namespace DataPlatform.Contracts.Events;

/// <summary>A mobile or web application event (topic_app_events, keyed by user_id).</summary>
[GenerateSerializer, Immutable, Alias("dp.AppEvent")]
public sealed record AppEvent
{
    [Id(0)] public required string EventId { get; init; }
    [Id(1)] public required string UserId { get; init; }
    [Id(2)] public string? SessionId { get; init; }
    [Id(3)] public required string EventType { get; init; }
    [Id(4)] public required string AppType { get; init; }
    [Id(5)] public required DateTimeOffset Timestamp { get; init; }
    [Id(6)] public double? Value { get; init; }

    /// <summary>Free-form properties; non-string JSON values are kept as their JSON text.</summary>
    [Id(7)] public IReadOnlyDictionary<string, string>? Properties { get; init; }
}
