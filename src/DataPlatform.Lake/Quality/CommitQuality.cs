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

    /// <summary>Rows with a value their column cannot hold or missing a required value (they went to the quarantine table).</summary>
    [Id(4)] public long SchemaViolations { get; init; }

    /// <summary>Rows of the flush that went to <c>bronze.quarantine</c> instead of this table: schema violations plus rows the Parquet writer refused.</summary>
    [Id(5)] public long QuarantinedRows { get; init; }
}
