using System.Globalization;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Files;

/// <summary>
/// Brings row values to the canonical CLR type of their column (string, int, long, double, decimal, bool,
/// UTC DateTime, DateOnly). A value that cannot be converted is emptied; a row missing a required value
/// is dropped. Both count as schema violations.
/// </summary>
public static class RowConformer
{
    /// <summary>Conforms the rows in place and returns those that can be written, with the violations found.</summary>
    public static (List<object?[]> Rows, long Violations) Conform(TableDefinition table, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var kept = new List<object?[]>();
        long violations = 0;
        foreach (var row in rows)
        {
            if (row.Length != table.Columns.Count)
            {
                violations++;
                continue;
            }
            var complete = true;
            for (var i = 0; i < row.Length; i++)
            {
                var column = table.Columns[i];
                if (row[i] is null)
                {
                    complete &= column.Nullable;
                    continue;
                }
                var value = Convert(row[i]!, column.Type);
                if (value is null)
                {
                    violations++;
                    complete &= column.Nullable;
                }
                row[i] = value;
            }
            if (complete)
            {
                kept.Add(row);
            }
            else
            {
                violations++;
            }
        }
        return (kept, violations);
    }

    /// <summary>The value as the column type's CLR type, or null when it is not one.</summary>
    public static object? Convert(object value, LakeColumnType type) => type switch
    {
        LakeColumnType.String => value as string ?? System.Convert.ToString(value, CultureInfo.InvariantCulture),
        LakeColumnType.Int => value switch
        {
            int i => i,
            long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
            _ => null,
        },
        LakeColumnType.Long => value switch
        {
            long l => l,
            int i => (long)i,
            _ => null,
        },
        LakeColumnType.Double => value switch
        {
            double d when double.IsFinite(d) => d,
            float f when float.IsFinite(f) => (double)f,
            decimal m => (double)m,
            long l => (double)l,
            int i => (double)i,
            _ => null,
        },
        LakeColumnType.Decimal => value switch
        {
            decimal m => decimal.Round(m, 2),
            double d when double.IsFinite(d) && Math.Abs(d) < 1e15 => decimal.Round((decimal)d, 2),
            long l => (decimal)l,
            int i => (decimal)i,
            string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => decimal.Round(parsed, 2),
            _ => null,
        },
        LakeColumnType.Boolean => value as bool?,
        LakeColumnType.Timestamp => value switch
        {
            DateTime t => t.Kind == DateTimeKind.Utc ? t : DateTime.SpecifyKind(t.ToUniversalTime(), DateTimeKind.Utc),
            DateTimeOffset t => t.UtcDateTime,
            string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => parsed.UtcDateTime,
            _ => null,
        },
        LakeColumnType.Date => value switch
        {
            DateOnly d => d,
            DateTime t => DateOnly.FromDateTime(t),
            DateTimeOffset t => DateOnly.FromDateTime(t.UtcDateTime),
            string s when DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) => parsed,
            _ => null,
        },
        _ => null,
    };
}
