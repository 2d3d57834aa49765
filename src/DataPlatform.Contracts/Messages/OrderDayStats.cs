namespace DataPlatform.Contracts.Messages;

/// <summary>Orders of one UTC date (by order_date) that count as revenue, and their total.</summary>
[GenerateSerializer, Immutable, Alias("dp.OrderDayStats")]
public sealed record OrderDayStats : ISummable<OrderDayStats>
{
    [Id(0)] public long Orders { get; init; }
    [Id(1)] public decimal Revenue { get; init; }

    public decimal? AverageOrderValue => Orders > 0 ? Math.Round(Revenue / Orders, 2) : null;

    public OrderDayStats Plus(OrderDayStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new OrderDayStats { Orders = Orders + other.Orders, Revenue = Revenue + other.Revenue };
    }
}
