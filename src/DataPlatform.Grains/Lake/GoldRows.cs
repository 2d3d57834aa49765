using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Grains.Lake;

/// <summary>Rows of the gold tables, each with the key it replaces by, built from the grains' state.</summary>
public static class GoldRows
{
    public const string EventMetrics = "gold.event_metrics";
    public const string DailySummary = "gold.daily_summary";
    public const string DailySales = "gold.daily_sales";
    public const string UserSegments = "gold.user_segments";
    public const string CustomerLifetimeValue = "gold.customer_lifetime_value";
    public const string ProductPerformance = "gold.product_performance";
    public const string OpsMetrics = "gold.ops_metrics";

    public static (string Key, object?[] Row) Of(EventMetric metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        var start = metric.WindowStart.UtcDateTime;
        var date = DateOnly.FromDateTime(start);
        return (SilverRows.Key(date, start.Hour, metric.EventType, metric.AppType),
        [
            date, start.Hour, metric.EventType, metric.AppType, metric.TotalEvents, metric.UniqueUsers,
            metric.ValueMin, metric.ValueMax, metric.ValueAvg, metric.ValueSum,
        ]);
    }

    public static (string Key, object?[] Row) Of(Contracts.Messages.DailySummary day)
    {
        ArgumentNullException.ThrowIfNull(day);
        return (SilverRows.Key(day.Date),
        [
            day.Date, day.TotalUsers, day.NewUsers, day.ReturningUsersPct, day.Sessions, day.BounceRate, day.AvgSessionDurationS,
            day.TotalEvents, day.Orders, day.Revenue, day.AvgOrderValue,
        ]);
    }

    public static (string Key, object?[] Row) Sales(DateOnly date, OrderDayStats orders)
    {
        ArgumentNullException.ThrowIfNull(orders);
        return (SilverRows.Key(date), [date, orders.Orders, orders.Revenue, orders.AverageOrderValue]);
    }

    public static (string Key, object?[] Row) Of(string productId, ProductSales sales)
    {
        ArgumentNullException.ThrowIfNull(sales);
        return (productId, [productId, sales.Orders, sales.UnitsSold, sales.Revenue]);
    }

    public static (string Key, object?[] Row) Segment(string userId, UserAggregate user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var evaluation = user.Evaluation;
        return (userId,
        [
            userId, evaluation?.Segment, evaluation?.ChurnRisk, evaluation?.EngagementScore, evaluation?.RecommendedAction,
            user.TotalEvents, (long)user.SessionIds.Count, user.Purchases, user.TotalRevenue,
            user.FirstSeen?.UtcDateTime, user.LastSeen?.UtcDateTime,
        ]);
    }

    public static (string Key, object?[] Row) LifetimeValue(string userId, UserAggregate user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var revenue = user.TotalRevenue;
        var lifetime = user.FirstSeen is { } first && user.LastSeen is { } last ? Math.Round((last - first).TotalDays, 3) : (double?)null;
        return (userId,
        [
            userId, revenue, user.Purchases, user.Purchases > 0 ? Math.Round(revenue / user.Purchases, 2) : (decimal?)null,
            user.FirstSeen?.UtcDateTime, user.LastSeen?.UtcDateTime, lifetime, user.Evaluation?.Segment,
        ]);
    }

    public static (string Key, object?[] Row) Ops(KpiSnapshot kpis, DataPlatform.Lake.Catalog.ILakeWriterStatus writer)
    {
        ArgumentNullException.ThrowIfNull(kpis);
        ArgumentNullException.ThrowIfNull(writer);
        var at = kpis.At.UtcDateTime;
        var flushAge = writer.LastFlushAt is { } flushed ? Math.Round((kpis.At - flushed).TotalSeconds, 1) : (double?)null;
        return (SilverRows.Key(at),
        [
            at, kpis.TotalEvents, kpis.DeadLetters, kpis.LateEvents, kpis.ConsumerLag, kpis.EventsPerSecond,
            writer.RowsCommitted, writer.FilesCommitted, flushAge, DateOnly.FromDateTime(at),
        ]);
    }
}
