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

    /// <summary>
    /// The quality of several writers' rows committed together: counts add up, null shares are weighted by
    /// rows. Duplicate keys are those each writer saw among its own rows.
    /// </summary>
    public static CommitQuality Combine(IReadOnlyCollection<CommitQuality> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var rows = parts.Sum(part => part.Rows);
        var nullPercent = parts.SelectMany(part => part.NullPercent.Select(column => (column.Key, Nulls: column.Value * part.Rows)))
            .GroupBy(column => column.Key, StringComparer.Ordinal)
            .ToDictionary(column => column.Key, column => rows == 0 ? 0 : Math.Round(column.Sum(part => part.Nulls) / rows, 2), StringComparer.Ordinal);
        return new CommitQuality
        {
            Rows = rows,
            NullPercent = nullPercent,
            DuplicateKeys = parts.Sum(part => part.DuplicateKeys),
            RangeViolations = parts.Sum(part => part.RangeViolations),
            SchemaViolations = parts.Sum(part => part.SchemaViolations),
            QuarantinedRows = parts.Sum(part => part.QuarantinedRows),
        };
    }
}
