using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Quality;

/// <summary>Measures the rows of one commit: empty values per column, repeated keys and implausible values.</summary>
public static class QualityProfiler
{
    public static CommitQuality Profile(TableDefinition table, IReadOnlyList<object?[]> rows, long schemaViolations, long quarantinedRows = 0)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var nulls = new long[table.Columns.Count];
        long rangeViolations = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < nulls.Length; i++)
            {
                if (row[i] is null)
                {
                    nulls[i]++;
                }
                else if (IsOutOfRange(table.Columns[i], row[i]!))
                {
                    rangeViolations++;
                }
            }
        }
        var nullPercent = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < nulls.Length; i++)
        {
            nullPercent[table.Columns[i].Name] = rows.Count == 0 ? 0 : Math.Round(100.0 * nulls[i] / rows.Count, 2);
        }
        return new CommitQuality
        {
            Rows = rows.Count,
            NullPercent = nullPercent,
            DuplicateKeys = CountDuplicateKeys(table, rows),
            RangeViolations = rangeViolations,
            SchemaViolations = schemaViolations,
            QuarantinedRows = quarantinedRows,
        };
    }

    /// <summary>The key of a row: its key columns joined (empty when the table has no key).</summary>
    public static string KeyOf(TableDefinition table, object?[] row, int[] keyIndexes)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(keyIndexes);
        return keyIndexes.Length == 1
            ? KeyPart(row[keyIndexes[0]]) ?? ""
            : string.Join('\u001f', keyIndexes.Select(i => KeyPart(row[i])));
    }

    private static string? KeyPart(object? value) =>
        value is byte[] bytes ? Convert.ToHexString(bytes) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The positions of the table's key columns in a row.</summary>
    public static int[] KeyIndexes(TableDefinition table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.KeyColumns.Select(table.IndexOf).ToArray();
    }

    private static long CountDuplicateKeys(TableDefinition table, IReadOnlyList<object?[]> rows)
    {
        var keyIndexes = KeyIndexes(table);
        if (keyIndexes.Length == 0)
        {
            return 0;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return rows.LongCount(row => !seen.Add(KeyOf(table, row, keyIndexes)));
    }

    private static bool IsOutOfRange(LakeColumn column, object value)
    {
        if (column.Min is null && column.Max is null)
        {
            return false;
        }
        double? number = value switch
        {
            int i => i,
            long l => l,
            double d => d,
            decimal m => (double)m,
            _ => null,
        };
        return number is { } n && (n < column.Min || n > column.Max);
    }
}
