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

    /// <summary>Rows (or commits, for freshness) that failed each declared expectation of the table, by its name.</summary>
    [Id(6)] public Dictionary<string, long> Expectations { get; init; } = [];

    /// <summary>Rows that failed at least one expectation, blocking or not.</summary>
    [Id(7)] public long ExpectationFailures { get; init; }

    /// <summary>
    /// The share of the rows that reached the table's edge (written or quarantined) that failed neither the schema nor
    /// an expectation, in percent (100 without rows).
    /// </summary>
    public double Score
    {
        get
        {
            var arrived = Rows + QuarantinedRows;
            return arrived == 0 ? 100 : Math.Round(100.0 * Math.Max(0, arrived - SchemaViolations - ExpectationFailures) / arrived, 1);
        }
    }

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
            Expectations = SumByName(parts.Select(part => part.Expectations)),
            ExpectationFailures = parts.Sum(part => part.ExpectationFailures),
        };
    }

    /// <summary>Violations per expectation added up over commits.</summary>
    public static Dictionary<string, long> SumByName(IEnumerable<IReadOnlyDictionary<string, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.SelectMany(count => count)
            .GroupBy(count => count.Key, StringComparer.Ordinal)
            .ToDictionary(count => count.Key, count => count.Sum(part => part.Value), StringComparer.Ordinal);
    }
}
