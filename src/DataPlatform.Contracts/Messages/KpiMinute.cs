namespace DataPlatform.Contracts.Messages;

/// <summary>One minute of event time in GET /kpis/history.</summary>
[GenerateSerializer, Immutable, Alias("dp.KpiMinute")]
public sealed record KpiMinute
{
    /// <summary>The start of the minute (UTC).</summary>
    [Id(0)] public required DateTimeOffset Minute { get; init; }

    /// <summary>Distinct events whose event time falls in the minute.</summary>
    [Id(1)] public required long Events { get; init; }

    /// <summary>Distinct users with an event in the minute.</summary>
    [Id(2)] public required long ActiveUsers { get; init; }
}

/// <summary>An event type and how often it occurred (top event types).</summary>
[GenerateSerializer, Immutable, Alias("dp.EventTypeCount")]
public sealed record EventTypeCount([property: Id(0)] string EventType, [property: Id(1)] long Count);
