namespace DataPlatform.Lake.Tables;

/// <summary>What erasing a user from one table did: the version it committed (null when no row was about the user) and the rows it removed.</summary>
[GenerateSerializer, Immutable, Alias("lake.ErasureOutcome")]
public sealed record ErasureOutcome
{
    [Id(0)] public long? Version { get; init; }
    [Id(1)] public long RowsRemoved { get; init; }
}
