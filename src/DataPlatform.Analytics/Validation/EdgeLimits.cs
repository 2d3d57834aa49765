namespace DataPlatform.Analytics.Validation;

/// <summary>
/// The ranges of numbers the analytics accept at the edge. They are chosen so that no figure the grid
/// keeps can overflow: a decimal holds about 7.9 × 10^28, so summing money or values of at most 10^9
/// overflows only after 10^19 records, and an order line (at most 10^6 units × 10^9) stays below the
/// lake's decimal(18,2) limit of 10^16. A record outside them is a dead letter (<c>out_of_range:field</c>),
/// never a figure that breaks later.
/// </summary>
public static class EdgeLimits
{
    /// <summary>Largest magnitude of an app event's <c>value</c>.</summary>
    public const double MaxEventValue = 1e9;

    /// <summary>Largest magnitude of a money column in a change feed row (price, cost, totals, amounts, discount).</summary>
    public const decimal MaxMoney = 1_000_000_000m;

    /// <summary>Money carries at most this many decimal places (cents).</summary>
    public const int MoneyScale = 2;

    /// <summary>Largest <c>quantity</c> of an order line (units, never negative).</summary>
    public const int MaxQuantity = 1_000_000;

    /// <summary>True when an event value is finite and within <see cref="MaxEventValue"/>.</summary>
    public static bool IsEventValue(double value) => double.IsFinite(value) && Math.Abs(value) <= MaxEventValue;
}
