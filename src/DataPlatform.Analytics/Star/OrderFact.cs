namespace DataPlatform.Analytics.Star;

/// <summary>
/// One order in gold.fct_orders: its current status and amounts, and what its lines add up to. The cost and profit
/// are null while the cost of one of its products is unknown.
/// </summary>
public sealed record OrderFact(
    string OrderId,
    string CustomerId,
    DateTimeOffset OrderDate,
    string Status,
    decimal TotalAmount,
    string? PaymentMethod,
    int Lines,
    long Units,
    decimal LinesRevenue,
    decimal? LinesCost,
    DateTimeOffset ChangedAt)
{
    public int DateKey => CalendarDay.KeyOf(DateOnly.FromDateTime(OrderDate.UtcDateTime));

    /// <summary>True when the order counts as revenue (not cancelled).</summary>
    public bool Counts => !string.Equals(Status, "cancelled", StringComparison.Ordinal);

    public decimal? Profit => LinesRevenue - LinesCost;
}
