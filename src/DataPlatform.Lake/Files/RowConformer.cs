using System.Globalization;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Files;

/// <summary>
/// Brings row values to the canonical CLR type of their column (string, int, long, double, decimal, bool,
/// UTC DateTime, DateOnly, byte[]) and checks that the Parquet column can hold them. A row is rejected,
/// with a reason, when it has the wrong number of values, misses a required value, or holds a value that
/// is present but cannot be represented: a value is never emptied or changed silently. Rejected rows go
/// to the quarantine table.
/// </summary>
public static class RowConformer
{
    /// <summary>decimal(18,2) holds 16 digits before the point.</summary>
    public const decimal DecimalLimit = 10_000_000_000_000_000m;

    /// <summary>Conforms the rows (the input arrays are left as they are) into those that can be written and those rejected.</summary>
    public static RowConformance Conform(TableDefinition table, IEnumerable<object?[]> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var kept = new List<object?[]>();
        var rejected = new List<RejectedRow>();
        var index = -1;
        foreach (var row in rows)
        {
            index++;
            if (row.Length != table.Columns.Count)
            {
                rejected.Add(new RejectedRow(index, row, null, $"wrong_width:{row.Length}"));
                continue;
            }
            var conformed = new object?[row.Length];
            RejectedRow? rejection = null;
            for (var i = 0; i < row.Length && rejection is null; i++)
            {
                var column = table.Columns[i];
                if (row[i] is null)
                {
                    if (!column.Nullable)
                    {
                        rejection = new RejectedRow(index, row, column.Name, $"missing_value:{column.Name}");
                    }
                    continue;
                }
                if (TryConvert(row[i]!, column.Type, out var value, out var problem))
                {
                    conformed[i] = value;
                }
                else
                {
                    rejection = new RejectedRow(index, row, column.Name, $"{problem}:{column.Name}");
                }
            }
            if (rejection is null)
            {
                kept.Add(conformed);
            }
            else
            {
                rejected.Add(rejection);
            }
        }
        return new RowConformance(kept, rejected);
    }

    /// <summary>
    /// The value as the column type's CLR type, when the Parquet column can hold it exactly. Otherwise
    /// <paramref name="problem"/> says why: <c>wrong_type</c> (not convertible), <c>out_of_range</c> (too large,
    /// not finite) or <c>invalid_text</c> (text that is not valid Unicode, so it has no UTF-8 form).
    /// </summary>
    public static bool TryConvert(object value, LakeColumnType type, out object? converted, out string problem)
    {
        ArgumentNullException.ThrowIfNull(value);
        problem = Problems.WrongType;
        converted = type switch
        {
            LakeColumnType.String => Text(value, ref problem),
            LakeColumnType.Int => Integer(value, int.MinValue, int.MaxValue, ref problem) is { } i ? (int)i : null,
            LakeColumnType.Long => Integer(value, long.MinValue, long.MaxValue, ref problem),
            LakeColumnType.Double => Real(value, ref problem),
            LakeColumnType.Decimal => Money(value, ref problem),
            LakeColumnType.Boolean => value switch
            {
                bool b => b,
                string s when bool.TryParse(s, out var parsed) => parsed,
                _ => null,
            },
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
            LakeColumnType.Binary => value switch
            {
                byte[] bytes => bytes,
                ReadOnlyMemory<byte> memory => memory.ToArray(),
                Memory<byte> memory => memory.ToArray(),
                _ => null,
            },
            _ => null,
        };
        return converted is not null;
    }

    /// <summary>Whether text survives UTF-8 encoding unchanged (no unpaired surrogate).</summary>
    public static bool IsValidText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan();
        var at = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (at >= 0)
        {
            if (!char.IsHighSurrogate(span[at]) || at + 1 >= span.Length || !char.IsLowSurrogate(span[at + 1]))
            {
                return false;
            }
            span = span[(at + 2)..];
            at = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        }
        return true;
    }

    private static string? Text(object value, ref string problem)
    {
        var text = value switch
        {
            string s => s,
            byte[] or ReadOnlyMemory<byte> or Memory<byte> => null,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            bool or char => value.ToString(),
            _ => null,
        };
        if (text is not null && !IsValidText(text))
        {
            problem = Problems.InvalidText;
            return null;
        }
        return text;
    }

    private static long? Integer(object value, long min, long max, ref string problem)
    {
        long? whole = value switch
        {
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (whole is null && value is string text && decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            problem = Problems.OutOfRange;
        }
        return Fitting(whole, whole is not { } w || (w >= min && w <= max), ref problem);
    }

    private static double? Real(object value, ref string problem)
    {
        double? number = value switch
        {
            double d => d,
            float f => f,
            decimal m => (double)m,
            long l => l,
            int i => i,
            string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        return Fitting(number, number is not { } n || double.IsFinite(n), ref problem);
    }

    private static decimal? Money(object value, ref string problem)
    {
        decimal? exact = value switch
        {
            decimal m => m,
            long l => l,
            int i => i,
            string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (exact is null)
        {
            // Any other number (a double, a float, text beyond System.Decimal) must be finite and fit decimal(18,2) as a double.
            if (Real(value, ref problem) is not { } real || Fitting<double>(real, Math.Abs(real) < (double)DecimalLimit, ref problem) is null)
            {
                return null;
            }
            exact = (decimal)real;
        }
        var rounded = decimal.Round(exact.Value, ParquetColumns.DecimalScale);
        return Fitting<decimal>(rounded, Math.Abs(rounded) < DecimalLimit, ref problem);
    }

    /// <summary>The value when it fits its column; otherwise null, with the problem <c>out_of_range</c>.</summary>
    private static T? Fitting<T>(T? value, bool fits, ref string problem) where T : struct
    {
        if (fits)
        {
            return value;
        }
        problem = Problems.OutOfRange;
        return null;
    }

    /// <summary>The reason prefixes of a rejected value.</summary>
    public static class Problems
    {
        public const string WrongType = "wrong_type";
        public const string OutOfRange = "out_of_range";
        public const string InvalidText = "invalid_text";
    }
}
