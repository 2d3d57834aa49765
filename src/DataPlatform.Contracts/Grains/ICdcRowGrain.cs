using DataPlatform.Contracts.Messages;
using Orleans.Concurrency;

namespace DataPlatform.Contracts.Grains;

/// <summary>
/// The current state of one row of the shop database, keyed by "table:primary key" and fed by the
/// change feed (through the partition router that reads the <c>cdc_changes</c> namespace).
/// </summary>
[Alias("dp.ICdcRowGrain")]
public interface ICdcRowGrain : IGrainWithStringKey
{
    /// <summary>The row's columns, or null when it never existed or was deleted.</summary>
    [Alias("GetRow")]
    Task<IReadOnlyDictionary<string, string?>?> GetRowAsync();

    /// <summary>For an order row: one of its lines changed (sent by the order_items row grain).</summary>
    [Alias("ApplyItem")]
    Task ApplyItemAsync(OrderItemState item);

    /// <summary>
    /// For a product row: remembers an order with a line of the product and answers the product's unit cost at the
    /// order's date (null while the product is not known). When that cost changes later (a change of the product
    /// arrives, in or out of order), the product tells the order with <see cref="ApplyProductCostAsync"/>. It
    /// interleaves, so an order asking while the product is telling its orders does not wait for it.
    /// </summary>
    [Alias("TrackOrder"), AlwaysInterleave]
    Task<decimal?> TrackOrderAsync(string orderId, DateTimeOffset orderDate);

    /// <summary>For an order row: the unit cost of one of its products at the order's date changed.</summary>
    [Alias("ApplyProductCost")]
    Task ApplyProductCostAsync(string productId, decimal? cost);

    /// <summary>For a customer row: the dates its segment became each value, as its user grain evaluated them.</summary>
    [Alias("ApplySegments")]
    Task ApplySegmentsAsync(Dictionary<DateOnly, string> segments);

    /// <summary>
    /// Erases the row (an erased user's customer row or order): what it counted stays in the day's figures, the
    /// row itself is gone. True when it held anything.
    /// </summary>
    [Alias("Erase")]
    Task<bool> EraseAsync();
}
