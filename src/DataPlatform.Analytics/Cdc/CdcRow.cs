using System.Globalization;
using DataPlatform.Analytics.Star;
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

    /// <summary>For customers and products: every change in source-time order (the history of the dimension).</summary>
    [Id(7)] public RowHistory? History { get; private set; }

    /// <summary>For customers: the dates the customer's segment became each value (from its user grain).</summary>
    [Id(8)] private Dictionary<DateOnly, string>? _segments;

    /// <summary>For customers: how many versions gold.dim_customers holds (a shorter history deletes the rest).</summary>
    [Id(9)] public int PublishedVersions { get; set; }

    /// <summary>For products: the orders with a line of the product, and the order date whose cost they take.</summary>
    [Id(10)] private Dictionary<string, DateTimeOffset>? _orderDates;

    /// <summary>For orders: each product's unit cost at <see cref="CostsAsOf"/> (null: the product is not known yet).</summary>
    [Id(11)] private Dictionary<string, decimal?>? _productCosts;

    /// <summary>For orders: the order date the product costs were asked for.</summary>
    [Id(12)] public DateTimeOffset? CostsAsOf { get; private set; }

    /// <summary>For orders: the lines gold.fct_order_items holds.</summary>
    [Id(13)] private HashSet<string>? _publishedLines;

    /// <summary>For orders: whether gold.fct_orders holds the order.</summary>
    [Id(14)] public bool OrderPublished { get; private set; }

    public bool Exists => Current is not null && !Deleted;

    /// <summary>Nothing was ever applied: no change of the row, no item of an order, nothing a dimension or fact needs.</summary>
    public bool IsEmpty => Table is null && _items.Count == 0 && CountedOrder is null && _countedProducts.Count == 0
        && _segments is null && _orderDates is null;

    public IReadOnlyDictionary<DateOnly, string> Segments => _segments ?? [];

    /// <summary>Records a change of a dimension's row (customers, products) in its history; false when it was known.</summary>
    public bool RecordHistory(CdcChange change)
    {
        History ??= new RowHistory();
        return History.Add(change);
    }

    /// <summary>For customers: takes the segment history its user evaluated; false when it is the one known.</summary>
    public bool SetSegments(IReadOnlyDictionary<DateOnly, string> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (_segments is not null && _segments.Count == segments.Count && segments.All(entry => _segments.GetValueOrDefault(entry.Key) == entry.Value))
        {
            return false;
        }
        _segments = new Dictionary<DateOnly, string>(segments);
        return true;
    }

    /// <summary>For products: remembers an order with a line of the product and answers its cost at the order's date.</summary>
    public decimal? TrackOrder(string orderId, DateTimeOffset orderDate)
    {
        _orderDates ??= new(StringComparer.Ordinal);
        _orderDates[orderId] = orderDate;
        return History is null ? null : ProductCosts.At(History, orderDate);
    }

    /// <summary>For products: the cost each tracked order takes now.</summary>
    public Dictionary<string, decimal?> TrackedOrderCosts()
    {
        List<RowState> states = History is null ? [] : [.. History.States()];
        return (_orderDates ?? []).ToDictionary(order => order.Key, order => ProductCosts.At(states, order.Value), StringComparer.Ordinal);
    }

    /// <summary>For orders: the products of its lines whose cost at <paramref name="orderDate"/> is not asked for yet.</summary>
    public IReadOnlyList<string> ProductsToPrice(DateTimeOffset orderDate)
    {
        if (CostsAsOf != orderDate)
        {
            CostsAsOf = orderDate;
            _productCosts = new(StringComparer.Ordinal);
        }
        return [.. _items.Values.Select(item => item.ProductId).Distinct(StringComparer.Ordinal).Where(product => !_productCosts!.ContainsKey(product))];
    }

    /// <summary>For orders: a product's unit cost at the order's date; false when no line of the order has the product.</summary>
    public bool PricedProduct(string productId, decimal? cost)
    {
        if (CostsAsOf is null || !_items.Values.Any(item => item.ProductId == productId))
        {
            return false;
        }
        _productCosts ??= new(StringComparer.Ordinal);
        _productCosts[productId] = cost;
        return true;
    }

    /// <summary>
    /// For orders: the order's fact and its lines' facts now (none while the order is unknown, unusable or deleted).
    /// </summary>
    public (OrderFact? Order, IReadOnlyList<OrderLineFact> Lines) Facts(string orderId)
    {
        if (OrderNow(orderId) is not { Deleted: false } order)
        {
            return (null, []);
        }
        var lines = _items.Values.OrderBy(item => item.OrderItemId, StringComparer.Ordinal)
            .Select(item => new OrderLineFact(item.OrderItemId, orderId, order.CustomerId, item.ProductId, order.OrderDate,
                item.Quantity, item.UnitPrice, item.Discount, CostsAsOf == order.OrderDate ? _productCosts?.GetValueOrDefault(item.ProductId) : null))
            .ToList();
        var cost = lines.Aggregate((decimal?)0m, (sum, line) => sum + line.Cost);
        var fact = new OrderFact(orderId, order.CustomerId, order.OrderDate, order.Status, order.TotalAmount, Current?.GetValueOrDefault("payment_method"),
            lines.Count, lines.Sum(line => (long)line.Quantity), lines.Sum(line => line.Revenue), cost, DateTimeOffset.FromUnixTimeMilliseconds(LastTsMs));
        return (fact, lines);
    }

    /// <summary>For orders: records what gold holds now and answers the lines it held before that are gone.</summary>
    public IReadOnlyList<string> Published(OrderFact? order, IReadOnlyList<OrderLineFact> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var now = lines.Select(line => line.OrderItemId).ToHashSet(StringComparer.Ordinal);
        var gone = (_publishedLines ?? []).Where(line => !now.Contains(line)).ToList();
        _publishedLines = now;
        OrderPublished = order is not null;
        return gone;
    }

    /// <summary>For orders: the lines gold.fct_order_items holds.</summary>
    public IReadOnlyCollection<string> PublishedLines => _publishedLines ?? [];

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
