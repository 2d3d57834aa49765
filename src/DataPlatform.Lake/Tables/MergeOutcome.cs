using DataPlatform.Lake.Quality;

namespace DataPlatform.Lake.Tables;

/// <summary>The answer to a keyed merge: the version it committed (null when no row could be written) and the rows it quarantined.</summary>
[GenerateSerializer, Immutable, Alias("lake.MergeOutcome")]
public sealed record MergeOutcome
{
    [Id(0)] public long? Version { get; init; }
    [Id(1)] public IReadOnlyList<QuarantinedRow> Quarantined { get; init; } = [];
}
