using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Catalog;

/// <summary>What the catalog knows about a table: its definition and the state of its committed snapshot.</summary>
[GenerateSerializer, Immutable, Alias("lake.TableCatalogEntry")]
public sealed record TableCatalogEntry
{
    [Id(0)] public required TableDefinition Definition { get; init; }
    [Id(1)] public required long Version { get; init; }
    [Id(2)] public required long RowCount { get; init; }
    [Id(3)] public required int FileCount { get; init; }
    [Id(4)] public required long SizeBytes { get; init; }

    /// <summary>When the last commit happened (freshness); null before the first write.</summary>
    [Id(5)] public DateTimeOffset? LastUpdated { get; init; }
    [Id(6)] public string? LastOperation { get; init; }
    [Id(7)] public required IReadOnlyList<PartitionInfo> Partitions { get; init; }

    /// <summary>Quality of the most recent commit that added rows.</summary>
    [Id(8)] public CommitQuality? LatestQuality { get; init; }

    /// <summary>Quality summed over the recent commits that added rows.</summary>
    [Id(9)] public CommitQuality? RecentQuality { get; init; }
}

/// <summary>One partition of a table's committed snapshot.</summary>
[GenerateSerializer, Immutable, Alias("lake.PartitionInfo")]
public sealed record PartitionInfo(
    [property: Id(0)] string? Value,
    [property: Id(1)] int Files,
    [property: Id(2)] long Rows,
    [property: Id(3)] long Bytes);
