namespace DataPlatform.Lake.Quality;

/// <summary>Quality figures of the rows of one commit.</summary>
[GenerateSerializer, Immutable, Alias("lake.CommitQuality")]
public sealed record CommitQuality
{
    [Id(0)] public long Rows { get; init; }

    /// <summary>Share of empty values per column, in percent.</summary>
    [Id(1)] public Dictionary<string, double> NullPercent { get; init; } = [];

    /// <summary>Rows whose key repeats a key of an earlier row of the same commit.</summary>
    [Id(2)] public long DuplicateKeys { get; init; }

    /// <summary>Values outside a column's plausible range.</summary>
    [Id(3)] public long RangeViolations { get; init; }

    /// <summary>Values of the wrong type (emptied) and rows missing a required value (dropped).</summary>
    [Id(4)] public long SchemaViolations { get; init; }
}
