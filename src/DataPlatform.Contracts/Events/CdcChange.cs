namespace DataPlatform.Contracts.Events;

/// <summary>
/// A Debezium-style change event (topic_cdc_changes, keyed by the row's primary key). Row images keep
/// every column as text so that money keeps its exact decimal digits.
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.CdcChange")]
public sealed record CdcChange
{
    /// <summary>c (create), u (update), d (delete) or r (snapshot read).</summary>
    [Id(0)] public required string Op { get; init; }
    [Id(1)] public required CdcSource Source { get; init; }
    [Id(2)] public required long TsMs { get; init; }
    [Id(3)] public IReadOnlyDictionary<string, string?>? Before { get; init; }
    [Id(4)] public IReadOnlyDictionary<string, string?>? After { get; init; }
}

/// <summary>Where a change came from: the source table (customers, products, orders, order_items, payments).</summary>
[GenerateSerializer, Immutable, Alias("dp.CdcSource")]
public sealed record CdcSource
{
    [Id(0)] public required string Table { get; init; }
    [Id(1)] public string? Db { get; init; }
}
