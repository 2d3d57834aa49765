namespace DataPlatform.Lake.Tables;

/// <summary>
/// The answer to an append: the version it committed, or the sources whose recorded position moved past
/// the append's first position (the writer drops the rows at or below them and appends the rest).
/// </summary>
[GenerateSerializer, Immutable, Alias("lake.AppendOutcome")]
public sealed record AppendOutcome
{
    [Id(0)] public long? Version { get; init; }
    [Id(1)] public Dictionary<string, long> StalePositions { get; init; } = [];

    public bool Committed => Version is not null;
}
