namespace DataPlatform.Contracts.Events;

/// <summary>A record from an external feed (topic_external, keyed by "source:key").</summary>
[GenerateSerializer, Immutable, Alias("dp.ExternalEvent")]
public sealed record ExternalEvent
{
    [Id(0)] public required string Source { get; init; }
    [Id(1)] public required string Key { get; init; }
    [Id(2)] public required DateTimeOffset Timestamp { get; init; }

    /// <summary>The payload object; non-string JSON values are kept as their JSON text.</summary>
    [Id(3)] public IReadOnlyDictionary<string, string>? Payload { get; init; }
}
