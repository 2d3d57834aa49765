using System.Globalization;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Cdc;

/// <summary>
/// The current state of one source row, built from its change events: created and updated rows hold
/// their latest after-image, a deleted row is gone. Changes older (by ts_ms) than the one applied are
/// ignored, so a replay never moves a row back in time.
/// </summary>
[GenerateSerializer, Alias("dp.CdcRow")]
public sealed class CdcRow
{
    [Id(0)] public string? Table { get; private set; }
    [Id(1)] public Dictionary<string, string?>? Current { get; private set; }
    [Id(2)] public bool Deleted { get; private set; }
    [Id(3)] public long LastTsMs { get; private set; } = long.MinValue;
    [Id(4)] public OrderState? CountedOrder { get; private set; }
    [Id(5)] private readonly Dictionary<string, OrderItemState> _items = new(StringComparer.Ordinal);
    [Id(6)] private Dictionary<string, ProductSales> _countedProducts = new(StringComparer.Ordinal);

    public bool Exists => Current is not null && !Deleted;

    /// <summary>Nothing was ever applied: no change of the row, no item of an order.</summary>
    public bool IsEmpty => Table is null && _items.Count == 0 && CountedOrder is null && _countedProducts.Count == 0;

    /// <summary>Applies a change; returns false when it is older than the row's latest change.</summary>
    public bool Apply(CdcChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.TsMs < LastTsMs)
        {
            return false;
        }
        Table = change.Source.Table;
        LastTsMs = change.TsMs;
        if (change.Op == "d")
        {
            Deleted = true;
            Current ??= change.Before is null ? null : new Dictionary<string, string?>(change.Before, StringComparer.Ordinal);
        }
        else
        {
            Deleted = false;
            // An update may carry only the changed columns: merge them over what is known.
            var merged = Current is null ? new Dictionary<string, string?>(StringComparer.Ordinal) : new Dictionary<string, string?>(Current, StringComparer.Ordinal);
            foreach (var (column, value) in change.After ?? new Dictionary<string, string?>())
            {
                merged[column] = value;
            }
            Current = merged;
        }
        return true;
    }

    /// <summary>
    /// For an orders row: its revenue state now, or null when the row is not an order or lacks what an
    /// order needs (customer, a decimal total, an order date).
    /// </summary>
    public OrderState? OrderNow(string orderId)
    {
        if (Table != "orders" || Current is not { } row
            || !row.TryGetValue("customer_id", out var customer) || string.IsNullOrEmpty(customer)
            || !row.TryGetValue("total_amount", out var total) || !decimal.TryParse(total, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
            || !row.TryGetValue("order_date", out var date) || !DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var orderDate))
        {
            return null;
        }
        return new OrderState
        {
            OrderId = orderId,
            CustomerId = customer,
            TotalAmount = amount,
            OrderDate = orderDate.ToUniversalTime(),
            Status = row.GetValueOrDefault("status") ?? "pending",
            Deleted = Deleted,
        };
    }

    /// <summary>Remembers which order state has been counted (what the next change must take back).</summary>
    public void Counted(OrderState? order) => CountedOrder = order;

    /// <summary>For an order row: records a line (a deleted line is dropped).</summary>
    public void ApplyItem(OrderItemState item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (item.Deleted)
        {
            _items.Remove(item.OrderItemId);
        }
        else
        {
            _items[item.OrderItemId] = item;
        }
    }

    /// <summary>
    /// What this order contributes per product now (nothing unless the order counts), and the change
    /// from what it contributed before; the new contribution becomes the counted one.
    /// </summary>
    public Dictionary<string, ProductSales> TakeProductChanges(bool orderCounts)
    {
        var now = orderCounts
            ? _items.Values.GroupBy(item => item.ProductId, StringComparer.Ordinal).ToDictionary(
                group => group.Key,
                group => new ProductSales { Orders = 1, UnitsSold = group.Sum(item => item.Quantity), Revenue = group.Sum(item => item.Amount) },
                StringComparer.Ordinal)
            : new Dictionary<string, ProductSales>(StringComparer.Ordinal);
        var changes = new Dictionary<string, ProductSales>(StringComparer.Ordinal);
        foreach (var product in now.Keys.Union(_countedProducts.Keys))
        {
            var before = _countedProducts.GetValueOrDefault(product) ?? new ProductSales();
            var after = now.GetValueOrDefault(product) ?? new ProductSales();
            if (before != after)
            {
                changes[product] = new ProductSales
                {
                    Orders = after.Orders - before.Orders,
                    UnitsSold = after.UnitsSold - before.UnitsSold,
                    Revenue = after.Revenue - before.Revenue,
                };
            }
        }
        _countedProducts = now;
        return changes;
    }

    /// <summary>For an order_items row: the line as its order needs it, or null when a column is unusable.</summary>
    public OrderItemState? ItemNow(string orderItemId)
    {
        if (Table != "order_items" || Current is not { } row
            || row.GetValueOrDefault("product_id") is not { Length: > 0 } product
            || !int.TryParse(row.GetValueOrDefault("quantity"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var quantity)
            || !decimal.TryParse(row.GetValueOrDefault("unit_price"), NumberStyles.Number, CultureInfo.InvariantCulture, out var price))
        {
            return null;
        }
        _ = decimal.TryParse(row.GetValueOrDefault("discount"), NumberStyles.Number, CultureInfo.InvariantCulture, out var discount);
        return new OrderItemState
        {
            OrderItemId = orderItemId,
            ProductId = product,
            Quantity = quantity,
            UnitPrice = price,
            Discount = discount,
            Deleted = Deleted,
        };
    }

    /// <summary>The order a line belongs to.</summary>
    public string? OrderIdOfItem => Table == "order_items" ? Current?.GetValueOrDefault("order_id") : null;
}
