namespace DataPlatform.Contracts.Messages;

/// <summary>
/// What one silo saw since its previous report to the KPI grain: counts plus the latest event time of
/// every user and session that was active, so the KPI grain can count distinct actives exactly.
/// </summary>
[GenerateSerializer, Alias("dp.KpiDelta")]
public sealed record KpiDelta
{
    [Id(0)] public long Events { get; init; }
    [Id(1)] public long DeadLetters { get; init; }

    /// <summary>Records of erased users dropped (the erasure policy: they are never applied or stored).</summary>
    [Id(16)] public long ErasedUserRecords { get; init; }
    [Id(2)] public Dictionary<string, DateTimeOffset> UserLastSeen { get; init; } = new(StringComparer.Ordinal);
    [Id(3)] public Dictionary<string, DateTimeOffset> SessionLastSeen { get; init; } = new(StringComparer.Ordinal);

    /// <summary>1-minute tumbling windows by (event_type, app_type).</summary>
    [Id(4)] public Dictionary<WindowKey, MetricCell> MinuteCells { get; init; } = [];

    /// <summary>1-hour tumbling windows by (event_type, app_type).</summary>
    [Id(5)] public Dictionary<WindowKey, MetricCell> HourCells { get; init; } = [];

    /// <summary>Per minute start (Unix seconds): users whose first event of that minute was seen here.</summary>
    [Id(6)] public Dictionary<long, long> MinuteNewUsers { get; init; } = [];

    /// <summary>Sessions closed (or reopened, negatively) since the last report, by the UTC date they started.</summary>
    [Id(7)] public Dictionary<DateOnly, SessionDayStats> ClosedSessions { get; init; } = [];

    /// <summary>Purchase funnels of the sessions closed (or reopened, negatively) since the last report, by start date and app type.</summary>
    [Id(17)] public Dictionary<FunnelKey, FunnelDayStats> Funnels { get; init; } = [];

    /// <summary>Changes to weekly cohort retention: users entering (+1) or leaving (−1) a cohort cell.</summary>
    [Id(18)] public Dictionary<CohortKey, long> Cohorts { get; init; } = [];

    /// <summary>Changes to the orders that count as revenue, by the UTC date of their order_date.</summary>
    [Id(8)] public Dictionary<DateOnly, OrderDayStats> Orders { get; init; } = [];

    /// <summary>Segment membership changes (users joining or leaving, score and revenue updates).</summary>
    [Id(9)] public Dictionary<string, SegmentStats> Segments { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The reporting silo and its current consumer lag (records not yet committed), when it reads Kafka.</summary>
    [Id(10)] public string? Silo { get; init; }

    [Id(11)] public long? ConsumerLag { get; init; }

    /// <summary>Records Kafka dropped before this silo's receivers read them, since the silo started.</summary>
    [Id(14)] public long? RecordsLost { get; init; }

    /// <summary>Events, distinct users and new users by UTC date (new users can move to an earlier date: −1/+1).</summary>
    [Id(12)] public Dictionary<DateOnly, DayUsers> Days { get; init; } = [];

    /// <summary>Sales changes per product (orders that count: created, cancelled, lines changed).</summary>
    [Id(13)] public Dictionary<string, ProductSales> Products { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The cluster's recovery generation the delta's records were applied in, or null when the silo has not
    /// joined the cluster's checkpoints yet (no roll-back can happen before it has). A delta from before a
    /// roll-back counts records the replay counts again: the KPI grain ignores it.
    /// </summary>
    [Id(15)] public long? Generation { get; init; }

    /// <summary>
    /// The delta cut into parts that apply on their own: one with everything that only counts (events,
    /// windows, activity, sessions, days) and one per money figure (a day's orders, a segment, a product),
    /// so that a figure that cannot be held is left out alone.
    /// </summary>
    public IEnumerable<KpiDelta> Parts()
    {
        yield return this with { Orders = [], Segments = new(StringComparer.Ordinal), Products = new(StringComparer.Ordinal) };
        foreach (var (date, orders) in Orders)
        {
            yield return new KpiDelta { Generation = Generation, Orders = new() { [date] = orders } };
        }
        foreach (var (segment, stats) in Segments)
        {
            yield return new KpiDelta { Generation = Generation, Segments = new(StringComparer.Ordinal) { [segment] = stats } };
        }
        foreach (var (product, sales) in Products)
        {
            yield return new KpiDelta { Generation = Generation, Products = new(StringComparer.Ordinal) { [product] = sales } };
        }
    }

    public bool IsEmpty => Products.Count == 0 && Days.Count == 0 && Segments.Count == 0 && Orders.Count == 0 && ClosedSessions.Count == 0 && Funnels.Count == 0 && Cohorts.Count == 0 && Events == 0 && DeadLetters == 0 && ErasedUserRecords == 0 && UserLastSeen.Count == 0 && SessionLastSeen.Count == 0;
}
