namespace DataPlatform.Contracts.Messages;

/// <summary>An order line as its order needs it: product, quantity, unit price, discount; or deleted.</summary>
[GenerateSerializer, Immutable, Alias("dp.OrderItemState")]
public sealed record OrderItemState
{
    [Id(0)] public required string OrderItemId { get; init; }
    [Id(1)] public required string ProductId { get; init; }
    [Id(2)] public required int Quantity { get; init; }
    [Id(3)] public required decimal UnitPrice { get; init; }
    [Id(4)] public decimal Discount { get; init; }
    [Id(5)] public bool Deleted { get; init; }

    /// <summary>What the line is worth: quantity × unit price − discount.</summary>
    public decimal Amount => Quantity * UnitPrice - Discount;
}

/// <summary>One product's sales from orders that count (a row of gold.product_performance).</summary>
[GenerateSerializer, Immutable, Alias("dp.ProductSales")]
public sealed record ProductSales : ISummable<ProductSales>
{
    [Id(0)] public long Orders { get; init; }
    [Id(1)] public long UnitsSold { get; init; }
    [Id(2)] public decimal Revenue { get; init; }

    public ProductSales Plus(ProductSales other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ProductSales { Orders = Orders + other.Orders, UnitsSold = UnitsSold + other.UnitsSold, Revenue = Revenue + other.Revenue };
    }
}
