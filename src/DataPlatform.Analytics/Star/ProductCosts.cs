using System.Globalization;

namespace DataPlatform.Analytics.Star;

/// <summary>A product's unit cost at a time, from the history of its row.</summary>
public static class ProductCosts
{
    /// <summary>
    /// The cost of the product's state in force at <paramref name="at"/>; for a time before its first change, the cost
    /// of that first state (the product was sold at the cost it was first known with). Null when the product was never
    /// seen or its cost is not a number.
    /// </summary>
    public static decimal? At(RowHistory history, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(history);
        return At([.. history.States()], at);
    }

    /// <summary>As <see cref="At(RowHistory, DateTimeOffset)"/>, over the history's states replayed once for many times.</summary>
    public static decimal? At(IReadOnlyList<RowState> states, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(states);
        var state = states.LastOrDefault(state => state.At <= at) ?? (states.Count > 0 ? states[0] : null);
        return decimal.TryParse(state?["cost"], NumberStyles.Number, CultureInfo.InvariantCulture, out var cost) ? cost : null;
    }
}
