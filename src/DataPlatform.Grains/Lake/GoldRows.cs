using System.Globalization;
using DataPlatform.Analytics.Star;
using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Messages;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Grains.Lake;

/// <summary>Rows of the gold tables, each with the key it replaces by, built from the grains' state by row maps (<see cref="RowMap{T}"/>).</summary>
public static class GoldRows
{
    public const string EventMetrics = "gold.event_metrics";
    public const string DailySummary = "gold.daily_summary";
    public const string DailySales = "gold.daily_sales";
    public const string UserSegments = "gold.user_segments";
    public const string CustomerLifetimeValue = "gold.customer_lifetime_value";
    public const string ProductPerformance = "gold.product_performance";
    public const string OpsMetrics = "gold.ops_metrics";
    public const string FunnelDaily = "gold.funnel_daily";
    public const string CohortRetention = "gold.cohort_retention";
    public const string DimCustomers = "gold.dim_customers";
    public const string DimProducts = "gold.dim_products";
    public const string DimDate = "gold.dim_date";
    public const string FctOrders = "gold.fct_orders";
    public const string FctOrderItems = "gold.fct_order_items";
    public const string Alerts = "gold.alerts";
    public const string UserFeatures = "gold.user_features";

    private static readonly RowMap<CustomerVersion> CustomerVersionRows = new(PlatformTables.Get(DimCustomers),
    [
        ("customer_key", version => version.CustomerKey),
        ("customer_id", version => version.CustomerId),
        ("version", version => version.Version),
        ("city", version => version.City),
        ("state", version => version.State),
        ("postal_code", version => version.PostalCode),
        ("country", version => version.Country),
        ("segment", version => version.Segment),
        ("valid_from", version => version.ValidFrom.UtcDateTime),
        ("valid_to", version => version.ValidTo?.UtcDateTime),
        ("is_current", version => version.IsCurrent),
    ]);

    private static readonly RowMap<(string ProductId, RowState Product)> ProductDimensionRows = new(PlatformTables.Get(DimProducts),
    [
        ("product_id", product => product.ProductId),
        ("name", product => product.Product["name"]),
        ("category", product => product.Product["category"]),
        ("subcategory", product => product.Product["subcategory"]),
        ("price", product => MoneyOrNull(product.Product["price"])),
        ("cost", product => MoneyOrNull(product.Product["cost"])),
        ("sku", product => product.Product["sku"]),
        ("is_deleted", product => product.Product.Deleted),
        ("updated_at", product => product.Product.At.UtcDateTime),
    ]);

    private static readonly RowMap<CalendarDay> CalendarRows = new(PlatformTables.Get(DimDate),
    [
        ("date_key", day => day.DateKey),
        ("date", day => day.Date),
        ("year", day => day.Year),
        ("quarter", day => day.Quarter),
        ("month", day => day.Month),
        ("month_name", day => day.MonthName),
        ("day_of_month", day => day.DayOfMonth),
        ("day_of_week", day => day.DayOfWeek),
        ("day_name", day => day.DayName),
        ("iso_week", day => day.IsoWeek),
        ("iso_year", day => day.IsoYear),
        ("is_weekend", day => day.IsWeekend),
    ]);

    private static readonly RowMap<OrderFact> OrderFactRows = new(PlatformTables.Get(FctOrders),
    [
        ("order_id", order => order.OrderId),
        ("customer_id", order => order.CustomerId),
        ("order_date", order => order.OrderDate.UtcDateTime),
        ("date_key", order => order.DateKey),
        ("status", order => order.Status),
        ("counts", order => order.Counts),
        ("total_amount", order => order.TotalAmount),
        ("payment_method", order => order.PaymentMethod),
        ("lines", order => order.Lines),
        ("units", order => order.Units),
        ("lines_revenue", order => order.LinesRevenue),
        ("lines_cost", order => order.LinesCost),
        ("profit", order => order.Profit),
        ("changed_at", order => order.ChangedAt.UtcDateTime),
    ]);

    private static readonly RowMap<OrderLineFact> OrderLineRows = new(PlatformTables.Get(FctOrderItems),
    [
        ("order_item_id", line => line.OrderItemId),
        ("order_id", line => line.OrderId),
        ("customer_id", line => line.CustomerId),
        ("product_id", line => line.ProductId),
        ("order_date", line => line.OrderDate.UtcDateTime),
        ("date_key", line => line.DateKey),
        ("quantity", line => line.Quantity),
        ("unit_price", line => line.UnitPrice),
        ("discount", line => line.Discount),
        ("revenue", line => line.Revenue),
        ("unit_cost", line => line.UnitCost),
        ("cost", line => line.Cost),
        ("profit", line => line.Profit),
    ]);

    public static (string Key, object?[] Row) Of(CustomerVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return (version.CustomerKey, CustomerVersionRows.Row(version));
    }

    public static (string Key, object?[] Row) Product(string productId, RowState product)
    {
        ArgumentNullException.ThrowIfNull(product);
        return (productId, ProductDimensionRows.Row((productId, product)));
    }

    public static (string Key, object?[] Row) Of(CalendarDay day)
    {
        ArgumentNullException.ThrowIfNull(day);
        return (day.DateKey.ToString(CultureInfo.InvariantCulture), CalendarRows.Row(day));
    }

    public static (string Key, object?[] Row) Of(OrderFact order)
    {
        ArgumentNullException.ThrowIfNull(order);
        return (order.OrderId, OrderFactRows.Row(order));
    }

    public static (string Key, object?[] Row) Of(OrderLineFact line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return (line.OrderItemId, OrderLineRows.Row(line));
    }

    private static decimal? MoneyOrNull(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var money) ? money : null;

    private static readonly RowMap<EventMetric> EventMetricRows = new(PlatformTables.Get(EventMetrics),
    [
        ("metric_date", metric => DateOnly.FromDateTime(metric.WindowStart.UtcDateTime)),
        ("metric_hour", metric => metric.WindowStart.UtcDateTime.Hour),
        ("event_type", metric => metric.EventType),
        ("app_type", metric => metric.AppType),
        ("total_events", metric => metric.TotalEvents),
        ("unique_users", metric => metric.UniqueUsers),
        ("value_min", metric => metric.ValueMin),
        ("value_max", metric => metric.ValueMax),
        ("value_avg", metric => metric.ValueAvg),
        ("value_sum", metric => metric.ValueSum),
    ]);

    private static readonly RowMap<Contracts.Messages.DailySummary> DailySummaryRows = new(PlatformTables.Get(DailySummary),
    [
        ("date", day => day.Date),
        ("total_users", day => day.TotalUsers),
        ("new_users", day => day.NewUsers),
        ("returning_users_pct", day => day.ReturningUsersPct),
        ("sessions", day => day.Sessions),
        ("bounce_rate", day => day.BounceRate),
        ("avg_session_duration_s", day => day.AvgSessionDurationS),
        ("total_events", day => day.TotalEvents),
        ("orders", day => day.Orders),
        ("revenue", day => day.Revenue),
        ("avg_order_value", day => day.AvgOrderValue),
    ]);

    private static readonly RowMap<(DateOnly Date, OrderDayStats Orders)> DailySalesRows = new(PlatformTables.Get(DailySales),
    [
        ("date", day => day.Date),
        ("orders", day => day.Orders.Orders),
        ("revenue", day => day.Orders.Revenue),
        ("avg_order_value", day => day.Orders.AverageOrderValue),
    ]);

    private static readonly RowMap<(string ProductId, ProductSales Sales)> ProductRows = new(PlatformTables.Get(ProductPerformance),
    [
        ("product_id", product => product.ProductId),
        ("orders", product => product.Sales.Orders),
        ("units_sold", product => product.Sales.UnitsSold),
        ("revenue", product => product.Sales.Revenue),
    ]);

    private static readonly RowMap<(string UserId, UserAggregate User)> SegmentRows = new(PlatformTables.Get(UserSegments),
    [
        ("user_id", user => user.UserId),
        ("segment", user => user.User.Evaluation?.Segment),
        ("churn_risk", user => user.User.Evaluation?.ChurnRisk),
        ("engagement_score", user => user.User.Evaluation?.EngagementScore),
        ("recommended_action", user => user.User.Evaluation?.RecommendedAction),
        ("total_events", user => user.User.TotalEvents),
        ("sessions", user => (long)user.User.SessionIds.Count),
        ("purchases", user => user.User.Purchases),
        ("total_revenue", user => user.User.TotalRevenue),
        ("first_seen", user => user.User.FirstSeen?.UtcDateTime),
        ("last_seen", user => user.User.LastSeen?.UtcDateTime),
    ]);

    private static readonly RowMap<(string UserId, UserAggregate User)> LifetimeValueRows = new(PlatformTables.Get(CustomerLifetimeValue),
    [
        ("customer_id", user => user.UserId),
        ("total_revenue", user => user.User.TotalRevenue),
        ("purchases", user => user.User.Purchases),
        ("avg_purchase_value", user => user.User.Purchases > 0 ? Math.Round(user.User.TotalRevenue / user.User.Purchases, 2) : (decimal?)null),
        ("first_seen", user => user.User.FirstSeen?.UtcDateTime),
        ("last_seen", user => user.User.LastSeen?.UtcDateTime),
        ("lifetime_days", user => user.User.FirstSeen is { } first && user.User.LastSeen is { } last ? Math.Round((last - first).TotalDays, 3) : (double?)null),
        ("segment", user => user.User.Evaluation?.Segment),
    ]);

    private static readonly RowMap<Contracts.Messages.UserFeatures> FeatureRows = new(PlatformTables.Get(UserFeatures),
    [
        ("user_id", features => features.UserId),
        ("date", features => DateOnly.FromDateTime(features.AsOf.UtcDateTime)),
        ("events_1h", features => features.Events1h),
        ("events_24h", features => features.Events24h),
        ("events_7d", features => features.Events7d),
        ("events_by_type_1h", features => JsonObjectOf(features.EventsByType1h)),
        ("events_by_type_24h", features => JsonObjectOf(features.EventsByType24h)),
        ("events_by_type_7d", features => JsonObjectOf(features.EventsByType7d)),
        ("sessions_1h", features => features.Sessions1h),
        ("sessions_24h", features => features.Sessions24h),
        ("sessions_7d", features => features.Sessions7d),
        ("last_event_at", features => features.LastEventAt.UtcDateTime),
        ("recency_days", features => features.RecencyDays),
        ("frequency_30d", features => features.Frequency30d),
        ("purchases_30d", features => features.Purchases30d),
        ("monetary_90d", features => features.Monetary90d),
        ("segment", features => features.Segment),
        ("churn_risk", features => features.ChurnRisk),
        ("engagement_score", features => features.EngagementScore),
    ]);

    private static readonly RowMap<(KpiSnapshot Kpis, ILakeWriterStatus Writer)> OpsRows = new(PlatformTables.Get(OpsMetrics),
    [
        ("at", ops => ops.Kpis.At.UtcDateTime),
        ("total_events", ops => ops.Kpis.TotalEvents),
        ("dead_letters", ops => ops.Kpis.DeadLetters),
        ("late_events", ops => ops.Kpis.LateEvents),
        ("consumer_lag", ops => ops.Kpis.ConsumerLag),
        ("events_per_second", ops => ops.Kpis.EventsPerSecond),
        ("rows_flushed", ops => ops.Writer.RowsCommitted),
        ("files_written", ops => ops.Writer.FilesCommitted),
        ("last_flush_age_s", ops => ops.Writer.LastFlushAt is { } flushed ? Math.Round((ops.Kpis.At - flushed).TotalSeconds, 1) : (double?)null),
        ("event_date", ops => DateOnly.FromDateTime(ops.Kpis.At.UtcDateTime)),
    ]);

    private static readonly RowMap<FunnelDay> FunnelRows = new(PlatformTables.Get(FunnelDaily),
    [
        ("date", funnel => funnel.Date),
        ("app_type", funnel => funnel.AppType),
        ("sessions", funnel => funnel.Sessions),
        ("viewed", funnel => funnel.Viewed),
        ("added_to_cart", funnel => funnel.AddedToCart),
        ("checked_out", funnel => funnel.CheckedOut),
        ("purchased", funnel => funnel.Purchased),
        ("view_to_cart_pct", funnel => funnel.ViewToCartPct),
        ("cart_to_checkout_pct", funnel => funnel.CartToCheckoutPct),
        ("checkout_to_purchase_pct", funnel => funnel.CheckoutToPurchasePct),
        ("conversion_pct", funnel => funnel.ConversionPct),
    ]);

    private static readonly RowMap<Contracts.Messages.CohortRetention> CohortRows = new(PlatformTables.Get(CohortRetention),
    [
        ("cohort_week", cell => cell.CohortWeek),
        ("week_number", cell => cell.WeekNumber),
        ("cohort_users", cell => cell.CohortUsers),
        ("active_users", cell => cell.ActiveUsers),
        ("retention_pct", cell => cell.RetentionPct),
    ]);

    private static readonly RowMap<Alert> AlertRows = new(PlatformTables.Get(Alerts),
    [
        ("alert_id", alert => alert.Id),
        ("signal", alert => alert.Kind),
        ("direction", alert => alert.Direction),
        ("state", alert => alert.State),
        ("opened_at", alert => alert.OpenedAt.UtcDateTime),
        ("closed_at", alert => alert.ClosedAt?.UtcDateTime),
        ("value", alert => alert.Value),
        ("baseline_median", alert => alert.Baseline),
        ("baseline_mad", alert => alert.Mad),
        ("threshold", alert => alert.Threshold),
        ("peak", alert => alert.Peak),
    ]);

    public static (string Key, object?[] Row) Of(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return (alert.Id, AlertRows.Row(alert));
    }

    public static (string Key, object?[] Row) Of(Contracts.Messages.CohortRetention cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return (SilverRows.Key(cell.CohortWeek, cell.WeekNumber), CohortRows.Row(cell));
    }

    public static (string Key, object?[] Row) Of(FunnelDay funnel)
    {
        ArgumentNullException.ThrowIfNull(funnel);
        return (SilverRows.Key(funnel.Date, funnel.AppType), FunnelRows.Row(funnel));
    }

    public static (string Key, object?[] Row) Of(EventMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var start = metric.WindowStart.UtcDateTime;
        return (SilverRows.Key(DateOnly.FromDateTime(start), start.Hour, metric.EventType, metric.AppType), EventMetricRows.Row(metric));
    }

    public static (string Key, object?[] Row) Of(Contracts.Messages.DailySummary day)
    {
        ArgumentNullException.ThrowIfNull(day);
        return (SilverRows.Key(day.Date), DailySummaryRows.Row(day));
    }

    public static (string Key, object?[] Row) Sales(DateOnly date, OrderDayStats orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        return (SilverRows.Key(date), DailySalesRows.Row((date, orders)));
    }

    public static (string Key, object?[] Row) Of(string productId, ProductSales sales)
    {
        ArgumentNullException.ThrowIfNull(sales);
        return (productId, ProductRows.Row((productId, sales)));
    }

    public static (string Key, object?[] Row) Segment(string userId, UserAggregate user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return (userId, SegmentRows.Row((userId, user)));
    }

    public static (string Key, object?[] Row) LifetimeValue(string userId, UserAggregate user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return (userId, LifetimeValueRows.Row((userId, user)));
    }

    /// <summary>A daily feature snapshot, keyed by user and date.</summary>
    public static (string Key, object?[] Row) Of(Contracts.Messages.UserFeatures snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return (SilverRows.Key(snapshot.UserId, DateOnly.FromDateTime(snapshot.AsOf.UtcDateTime)), FeatureRows.Row(snapshot));
    }

    /// <summary>Whether a key of <see cref="UserFeatures"/> is one of the user's snapshots.</summary>
    public static Func<string, bool> FeatureKeysOf(string userId)
    {
        var prefix = SilverRows.Key(userId, string.Empty);
        return key => key.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>Counts by name as a JSON object, names in ordinal order (the same text for the same counts).</summary>
    private static string JsonObjectOf(IReadOnlyDictionary<string, long> counts)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, count) in counts.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                json.WriteNumber(name, count);
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static (string Key, object?[] Row) Ops(KpiSnapshot kpis, ILakeWriterStatus writer)
    {
        ArgumentNullException.ThrowIfNull(kpis);
        ArgumentNullException.ThrowIfNull(writer);
        return (SilverRows.Key(kpis.At.UtcDateTime), OpsRows.Row((kpis, writer)));
    }
}
