namespace DataPlatform.Contracts.Messages;

/// <summary>A purchase funnel's day and app type: the UTC date a session started and its app type.</summary>
[GenerateSerializer, Immutable, Alias("dp.FunnelKey")]
public readonly record struct FunnelKey([property: Id(0)] DateOnly Date, [property: Id(1)] string AppType);
