using System.Collections.Frozen;
using System.Globalization;
using DataPlatform.Contracts.Events;

namespace DataPlatform.Analytics.Validation;

/// <summary>
/// What the columns of a change feed row image must hold (ARCHITECTURE.md §2, CDC row schemas): money
/// within <see cref="EdgeLimits.MaxMoney"/> with at most two decimals, quantities and counts as whole
/// numbers, times as ISO-8601. Columns not listed are kept as text. Null or absent columns are allowed
/// (an update may carry only what changed), except the primary key of the image that routes the change.
/// </summary>
internal static class CdcRowRules
{
    private enum Kind
    {
        Money,
        Quantity,
        Integer,
        Time,
    }

    private static readonly FrozenDictionary<string, FrozenDictionary<string, Kind>> Columns =
        new Dictionary<string, FrozenDictionary<string, Kind>>(StringComparer.Ordinal)
        {
            ["customers"] = Of(("created_at", Kind.Time), ("updated_at", Kind.Time)),
            ["products"] = Of(
                ("price", Kind.Money), ("cost", Kind.Money), ("stock_quantity", Kind.Integer),
                ("created_at", Kind.Time), ("updated_at", Kind.Time)),
            ["orders"] = Of(
                ("order_date", Kind.Time), ("total_amount", Kind.Money), ("created_at", Kind.Time), ("updated_at", Kind.Time)),
            ["order_items"] = Of(("quantity", Kind.Quantity), ("unit_price", Kind.Money), ("discount", Kind.Money), ("created_at", Kind.Time)),
            ["payments"] = Of(("amount", Kind.Money), ("payment_date", Kind.Time), ("created_at", Kind.Time)),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Checks one row image; money is rewritten in place in its canonical form.
    /// Returns the dead-letter reason of the first column that breaks a rule, or null.
    /// </summary>
    public static string? Check(string table, string image, Dictionary<string, string?> row)
    {
        if (!Columns.TryGetValue(table, out var kinds))
        {
            return null;
        }
        foreach (var (column, kind) in kinds)
        {
            if (row.GetValueOrDefault(column) is not { } text)
            {
                continue;
            }
            var reason = kind switch
            {
                Kind.Money => MoneyReason(text, out var money) ?? Canonical(row, column, money),
                Kind.Quantity => WholeNumberReason(text, 0, EdgeLimits.MaxQuantity),
                Kind.Integer => WholeNumberReason(text, int.MinValue, int.MaxValue),
                _ => IsoTimestamp.TryParse(text, out _) ? null : DeadLetterReason.InvalidValue,
            };
            if (reason is not null)
            {
                return reason($"{image}.{column}");
            }
        }
        return null;
    }

    /// <summary>The primary key the change is routed by must be present in the image it is read from.</summary>
    public static string? CheckPrimaryKey(string table, string image, Dictionary<string, string?> row, int maxLength)
    {
        var column = RecordKeys.PrimaryKeyColumnOf(table);
        return row.GetValueOrDefault(column) switch
        {
            null => DeadLetterReason.MissingField($"{image}.{column}"),
            var key when key.Length == 0 || key.Length > maxLength => DeadLetterReason.InvalidValue($"{image}.{column}"),
            _ => null,
        };
    }

    // Money is kept in its canonical form (1.2e2 becomes 120), as every later reader parses it.
    private static Func<string, string>? Canonical(Dictionary<string, string?> row, string column, decimal money)
    {
        row[column] = money.ToString(CultureInfo.InvariantCulture);
        return null;
    }

    private static Func<string, string>? WholeNumberReason(string text, long min, long max)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole < min || whole > max ? DeadLetterReason.OutOfRange : null;
        }
        // A whole number too long for 64 bits is out of range; a fraction or text is not a whole number.
        return text.TrimStart('-').All(char.IsAsciiDigit) && text.Length > 1 ? DeadLetterReason.OutOfRange : DeadLetterReason.InvalidValue;
    }

    private static Func<string, string>? MoneyReason(string text, out decimal money)
    {
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out money))
        {
            // A number too large for a decimal is out of range; anything else is not a number.
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
                ? DeadLetterReason.OutOfRange
                : DeadLetterReason.InvalidValue;
        }
        if (Math.Abs(money) > EdgeLimits.MaxMoney)
        {
            return DeadLetterReason.OutOfRange;
        }
        return decimal.Round(money, EdgeLimits.MoneyScale) == money ? null : DeadLetterReason.InvalidValue;
    }

    private static FrozenDictionary<string, Kind> Of(params (string Column, Kind Kind)[] columns) =>
        columns.ToFrozenDictionary(column => column.Column, column => column.Kind, StringComparer.Ordinal);
}
