namespace DataPlatform.Contracts.Messages;

/// <summary>One row of the purchase funnel: <c>GET /funnels</c> and <c>gold.funnel_daily</c>.</summary>
[GenerateSerializer, Immutable, Alias("dp.FunnelDay")]
public sealed record FunnelDay(
    [property: Id(0)] DateOnly Date,
    [property: Id(1)] string AppType,
    [property: Id(2)] long Sessions,
    [property: Id(3)] long Viewed,
    [property: Id(4)] long AddedToCart,
    [property: Id(5)] long CheckedOut,
    [property: Id(6)] long Purchased)
{
    public double? ViewToCartPct => FunnelDayStats.Conversion(Viewed, AddedToCart);
    public double? CartToCheckoutPct => FunnelDayStats.Conversion(AddedToCart, CheckedOut);
    public double? CheckoutToPurchasePct => FunnelDayStats.Conversion(CheckedOut, Purchased);
    public double? ConversionPct => FunnelDayStats.Conversion(Sessions, Purchased);
}
