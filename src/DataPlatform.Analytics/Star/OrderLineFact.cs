namespace DataPlatform.Analytics.Star;

/// <summary>
/// One order line in gold.fct_order_items: revenue = quantity × unit price − discount; cost = quantity × the
/// product's unit cost at the order's date; profit = revenue − cost (null while the product's cost is unknown).
/// </summary>
public sealed record OrderLineFact(
    string OrderItemId,
    string OrderId,
    string CustomerId,
    string ProductId,
    DateTimeOffset OrderDate,
    int Quantity,
    decimal UnitPrice,
    decimal Discount,
    decimal? UnitCost)
{
    public int DateKey => CalendarDay.KeyOf(DateOnly.FromDateTime(OrderDate.UtcDateTime));

    public decimal Revenue => Quantity * UnitPrice - Discount;

    public decimal? Cost => Quantity * UnitCost;

    public decimal? Profit => Revenue - Cost;
}
