using System.Globalization;
using DataPlatform.Contracts.Events;

namespace DataPlatform.GrainTests;

/// <summary>
/// The star schema the change feed must give, computed apart from the grain code over the changes in the order
/// they were sent: a row's current state takes the changes in arrival order and skips one older (by ts_ms) than the
/// newest applied; a dimension's history replays every distinct change in ts_ms order (arrival order on a tie).
/// </summary>
public sealed class StarReference
{
    public sealed record Version(string Key, string CustomerId, int Number, string? City, string? State, string? PostalCode, string? Country,
        string? Segment, long ValidFromMs, long? ValidToMs, bool IsCurrent);

    public sealed record Product(string ProductId, string? Name, string? Category, string? Subcategory, decimal? Price, decimal? Cost, string? Sku, bool IsDeleted, long UpdatedAtMs);

    public sealed record OrderFact(string OrderId, string CustomerId, long OrderDateMs, int DateKey, string Status, bool Counts, decimal Total,
        string? PaymentMethod, int Lines, long Units, decimal LinesRevenue, decimal? LinesCost, decimal? Profit, long ChangedAtMs);

    public sealed record LineFact(string OrderItemId, string OrderId, string CustomerId, string ProductId, long OrderDateMs, int DateKey,
        int Quantity, decimal UnitPrice, decimal Discount, decimal Revenue, decimal? UnitCost, decimal? Cost, decimal? Profit);

    private sealed record Attributes(string? City, string? State, string? PostalCode, string? Country, string? Segment);

    private sealed record Current(Dictionary<string, string?> Columns, bool Deleted, long TsMs);

    private readonly List<CdcChange> _changes;

    /// <param name="sent">The change feed's records in the order they were sent (per key: the order a grain applies them).</param>
    /// <param name="segmentOn">A user's segment on a date, as of that date; null before the user's first event.</param>
    /// <param name="lastDate">The last date the users' segments are evaluated for (the final watermark's).</param>
    public StarReference(IEnumerable<CdcChange> sent, Func<string, DateOnly, string?> segmentOn, DateOnly lastDate)
    {
        _changes = [.. sent];
        Customers = CustomerVersions(segmentOn, lastDate);
        var products = Histories("products", "product_id");
        Products = [.. products.Select(product => ProductOf(product.Key, product.Value))];
        (Orders, Lines) = Facts(products);
    }

    public IReadOnlyList<Version> Customers { get; }

    public IReadOnlyList<Product> Products { get; }

    public IReadOnlyList<OrderFact> Orders { get; }

    public IReadOnlyList<LineFact> Lines { get; }

    private static string KeyOf(CdcChange change, string column) => (change.After ?? change.Before)![column]!;

    private static DateTimeOffset Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    /// <summary>Each row's distinct changes in ts_ms order; a state per change (columns merged, deletes keep them).</summary>
    private Dictionary<string, List<Current>> Histories(string table, string keyColumn) => _changes
        .Where(change => change.Source.Table == table)
        .GroupBy(change => KeyOf(change, keyColumn))
        .ToDictionary(group => group.Key, group =>
        {
            var distinct = new List<CdcChange>();
            foreach (var change in group)
            {
                if (!distinct.Any(known => known.TsMs == change.TsMs && known.Op == change.Op
                    && Image(known).OrderBy(c => c.Key).SequenceEqual(Image(change).OrderBy(c => c.Key))))
                {
                    distinct.Add(change);
                }
            }
            var states = new List<Current>();
            var columns = new Dictionary<string, string?>();
            foreach (var change in distinct.OrderBy(change => change.TsMs))
            {
                foreach (var (column, value) in Image(change))
                {
                    if (change.Op != "d" || !columns.ContainsKey(column))
                    {
                        columns[column] = value;
                    }
                }
                states.Add(new Current(new Dictionary<string, string?>(columns), change.Op == "d", change.TsMs));
            }
            return states;
        });

    private static IReadOnlyDictionary<string, string?> Image(CdcChange change) => (change.Op == "d" ? change.Before : change.After) ?? new Dictionary<string, string?>();

    /// <summary>Each row's current state: changes in arrival order, skipping one older than the newest applied.</summary>
    private Dictionary<string, Current> CurrentRows(string table, string keyColumn)
    {
        var rows = new Dictionary<string, Current>();
        foreach (var change in _changes.Where(change => change.Source.Table == table))
        {
            var key = KeyOf(change, keyColumn);
            if (rows.TryGetValue(key, out var known) && change.TsMs < known.TsMs)
            {
                continue;
            }
            var columns = known is null ? new Dictionary<string, string?>() : new Dictionary<string, string?>(known.Columns);
            foreach (var (column, value) in change.After ?? new Dictionary<string, string?>())
            {
                columns[column] = value;
            }
            if (change.Op == "d" && known is null)
            {
                columns = new Dictionary<string, string?>(change.Before ?? new Dictionary<string, string?>());
            }
            rows[key] = new Current(columns, change.Op == "d", change.TsMs);
        }
        return rows;
    }

    private List<Version> CustomerVersions(Func<string, DateOnly, string?> segmentOn, DateOnly lastDate)
    {
        var versions = new List<Version>();
        foreach (var (customerId, states) in Histories("customers", "customer_id").OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var firstDate = DateOnly.FromDateTime(Time(states[0].TsMs).UtcDateTime);
            var midnights = Enumerable.Range(0, Math.Max(0, lastDate.DayNumber - firstDate.DayNumber + 1))
                .Select(days => new DateTimeOffset(firstDate.AddDays(days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds());
            string? Segment(long ms)
            {
                var date = DateOnly.FromDateTime(Time(ms).UtcDateTime);
                return segmentOn(customerId, date > lastDate ? lastDate : date);
            }
            var instants = states.Select(state => state.TsMs).Concat(midnights).Distinct().Order().ToList();
            var runs = instants.Select(ms =>
            {
                var state = states.LastOrDefault(s => s.TsMs <= ms);
                var attributes = state is null || state.Deleted ? null
                    : new Attributes(state.Columns.GetValueOrDefault("city"), state.Columns.GetValueOrDefault("state"),
                        state.Columns.GetValueOrDefault("postal_code"), state.Columns.GetValueOrDefault("country"), Segment(ms));
                return (At: ms, Attributes: attributes);
            }).ToList();
            var mine = new List<Version>();
            for (var i = 0; i < runs.Count; i++)
            {
                if (runs[i].Attributes is not { } attributes || (i > 0 && runs[i - 1].Attributes == attributes))
                {
                    continue;
                }
                var end = runs.Skip(i + 1).FirstOrDefault(next => next.Attributes != attributes);
                long? validTo = end.Attributes is null && end.At == 0 ? null : end.At;
                var number = mine.Count + 1;
                mine.Add(new Version($"{customerId}#{number}", customerId, number, attributes.City, attributes.State, attributes.PostalCode, attributes.Country,
                    attributes.Segment, runs[i].At, validTo, validTo is null));
            }
            versions.AddRange(mine);
        }
        return versions;
    }

    private static Product ProductOf(string productId, List<Current> states)
    {
        var latest = states[^1];
        return new Product(productId, latest.Columns.GetValueOrDefault("name"), latest.Columns.GetValueOrDefault("category"),
            latest.Columns.GetValueOrDefault("subcategory"), Money(latest.Columns.GetValueOrDefault("price")), Money(latest.Columns.GetValueOrDefault("cost")),
            latest.Columns.GetValueOrDefault("sku"), latest.Deleted, latest.TsMs);
    }

    private (List<OrderFact>, List<LineFact>) Facts(Dictionary<string, List<Current>> products)
    {
        decimal? CostAt(string productId, long ms) => products.TryGetValue(productId, out var states)
            ? Money((states.LastOrDefault(state => state.TsMs <= ms) ?? states[0]).Columns.GetValueOrDefault("cost"))
            : null;
        var lines = CurrentRows("order_items", "order_item_id").Where(line => !line.Value.Deleted).ToList();
        var orders = new List<OrderFact>();
        var lineFacts = new List<LineFact>();
        foreach (var (orderId, order) in CurrentRows("orders", "order_id").Where(order => !order.Value.Deleted).OrderBy(order => order.Key, StringComparer.Ordinal))
        {
            var orderDate = DateTimeOffset.Parse(order.Columns["order_date"]!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
            var dateKey = int.Parse(Time(orderDate).UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            var customer = order.Columns["customer_id"]!;
            var mine = lines.Where(line => line.Value.Columns.GetValueOrDefault("order_id") == orderId).OrderBy(line => line.Key, StringComparer.Ordinal)
                .Select(line =>
                {
                    var quantity = int.Parse(line.Value.Columns["quantity"]!, CultureInfo.InvariantCulture);
                    var price = Money(line.Value.Columns["unit_price"])!.Value;
                    var discount = Money(line.Value.Columns.GetValueOrDefault("discount")) ?? 0m;
                    var productId = line.Value.Columns["product_id"]!;
                    var unitCost = CostAt(productId, orderDate);
                    var revenue = quantity * price - discount;
                    return new LineFact(line.Key, orderId, customer, productId, orderDate, dateKey, quantity, price, discount, revenue,
                        unitCost, quantity * unitCost, revenue - quantity * unitCost);
                }).ToList();
            lineFacts.AddRange(mine);
            var status = order.Columns.GetValueOrDefault("status") ?? "pending";
            var cost = mine.All(line => line.Cost is not null) ? mine.Sum(line => line.Cost!.Value) : (decimal?)null;
            var revenue = mine.Sum(line => line.Revenue);
            var changedAt = _changes.Where(change => change.Source.Table == "orders" && KeyOf(change, "order_id") == orderId).Max(change => change.TsMs);
            orders.Add(new OrderFact(orderId, customer, orderDate, dateKey, status, status != "cancelled", Money(order.Columns["total_amount"])!.Value,
                order.Columns.GetValueOrDefault("payment_method"), mine.Count, mine.Sum(line => (long)line.Quantity), revenue, cost, revenue - cost, changedAt));
        }
        return (orders, lineFacts);
    }

    private static decimal? Money(string? text) => decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var money) ? money : null;
}
