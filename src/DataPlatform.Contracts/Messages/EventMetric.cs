namespace DataPlatform.Contracts.Messages;

/// <summary>One tumbling window for one (event_type, app_type): a row of gold.event_metrics when hourly.</summary>
[GenerateSerializer, Immutable, Alias("dp.EventMetric")]
public sealed record EventMetric
{
    [Id(0)] public required DateTimeOffset WindowStart { get; init; }
    [Id(1)] public required string EventType { get; init; }
    [Id(2)] public required string AppType { get; init; }
    [Id(3)] public required long TotalEvents { get; init; }
    [Id(4)] public required long UniqueUsers { get; init; }
    [Id(5)] public double? ValueMin { get; init; }
    [Id(6)] public double? ValueMax { get; init; }
    [Id(7)] public double? ValueAvg { get; init; }
    [Id(8)] public required double ValueSum { get; init; }

    public static EventMetric From(WindowKey key, MetricCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return new EventMetric
        {
            WindowStart = DateTimeOffset.FromUnixTimeSeconds(key.Start),
            EventType = key.EventType,
            AppType = key.AppType,
            TotalEvents = cell.Events,
            UniqueUsers = cell.UniqueUsers,
            ValueMin = cell.ValueMin,
            ValueMax = cell.ValueMax,
            ValueAvg = cell.ValueAvg,
            ValueSum = cell.ValueSum,
        };
    }
}
