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

    public bool Exists => Current is not null && !Deleted;

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
}
