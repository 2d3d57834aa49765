using System.Globalization;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;
using DataPlatform.Simulator.Generation;

namespace DataPlatform.GrainTests;

/// <summary>
/// The expected answers, computed with plain LINQ over the generated records and written apart from
/// the grain code: the grid must agree with it exactly.
/// </summary>
public sealed class ReferenceAnalytics
{
    public sealed record Row(string EventId, string UserId, string? SessionId, string Type, DateTimeOffset At, double? Value, string? Page, string AppType, string? Device);

    public ReferenceAnalytics(IEnumerable<SimulatedRecord> records)
    {
        records = records.ToList();
        _changes = [.. records.Select(record => record.Event).OfType<CdcChange>()];
        Orders = FinalOrders(_changes);
        // A user's events are its app events and clickstream records; other topics do not count here.
        Rows = [.. records
            .Select(record => record.Event switch
            {
                AppEvent e => new Row(e.EventId, e.UserId, e.SessionId, e.EventType, e.Timestamp, e.Value, null, e.AppType, null),
                ClickstreamEvent c => new Row(c.EventId, c.UserId, c.SessionId, c.Action, c.Timestamp, null, c.PageUrl, "web", c.Device),
                _ => null,
            })
            .OfType<Row>()
            .DistinctBy(row => row.EventId)];
    }

    /// <summary>An order as the change feed leaves it: customer, order date, status and total.</summary>
    public sealed record Order(string OrderId, string CustomerId, DateTimeOffset OrderDate, string Status, decimal Total, bool Deleted)
    {
        public bool Counts => !Deleted && Status != "cancelled";
    }

    /// <summary>Every order's final state, replaying its changes in order (partial updates merge).</summary>
    public IReadOnlyList<Order> Orders { get; }

    private static List<Order> FinalOrders(IEnumerable<CdcChange> changes)
    {
        var rows = new Dictionary<string, (Dictionary<string, string?> Row, bool Deleted, long Ts)>();
        foreach (var change in changes.Where(c => c.Source.Table == "orders"))
        {
            var image = change.After ?? change.Before!;
            var id = image["order_id"]!;
            rows.TryGetValue(id, out var known);
            if (known.Row is not null && change.TsMs < known.Ts)
            {
                continue;
            }
            var row = known.Row is null ? new Dictionary<string, string?>() : new Dictionary<string, string?>(known.Row);
            foreach (var (column, value) in change.After ?? new Dictionary<string, string?>())
            {
                row[column] = value;
            }
            rows[id] = (row, change.Op == "d", change.TsMs);
        }
        return [.. rows.Select(pair => new Order(
            pair.Key,
            pair.Value.Row["customer_id"]!,
            DateTimeOffset.Parse(pair.Value.Row["order_date"]!, CultureInfo.InvariantCulture),
            pair.Value.Row["status"]!,
            decimal.Parse(pair.Value.Row["total_amount"]!, CultureInfo.InvariantCulture),
            pair.Value.Deleted))];
    }

    /// <summary>Distinct events: a record sent twice counts once.</summary>
    public IReadOnlyList<Row> Rows { get; }

    public DateTimeOffset Watermark => _watermark ??= Rows.Max(row => row.At);

    public IReadOnlyList<IGrouping<string, Row>> Users => _users ??= [.. Rows.GroupBy(row => row.UserId)];

    public IReadOnlyList<IGrouping<string, Row>> Sessions => _sessions ??= [.. Rows.Where(row => row.SessionId is not null).GroupBy(row => row.SessionId!)];

    private readonly List<CdcChange> _changes;
    private DateTimeOffset? _watermark;
    private ILookup<string, Row>? _rowsByUser;
    private List<IGrouping<string, Row>>? _users;
    private List<IGrouping<string, Row>>? _sessions;

    public int ActiveUsers(TimeSpan window) => Users.Count(user => user.Max(row => row.At) >= Watermark - window);

    public int ActiveSessions(TimeSpan window) => Sessions.Count(session => session.Max(row => row.At) >= Watermark - window);

    public static bool IsPageView(Row row) => row.Type is "page_view" or "screen_view";

    /// <summary>Weekly cohort retention: per user, their first week's cohort and each week they were active in, counted.</summary>
    public IReadOnlyList<CohortRetention> Cohorts()
    {
        var cells = Users
            .SelectMany(user =>
            {
                var cohort = CohortKey.WeekOf(user.Min(row => row.At));
                return user.Select(row => CohortKey.WeekOf(row.At)).Distinct().Select(week => new CohortKey(cohort, CohortKey.WeeksBetween(cohort, week)));
            })
            .GroupBy(cell => cell)
            .ToDictionary(cell => cell.Key, cell => (long)cell.Count());
        return [.. cells.OrderBy(cell => cell.Key.Cohort).ThenBy(cell => cell.Key.Week)
            .Select(cell => new CohortRetention(cell.Key.Cohort, cell.Key.Week, cells[new CohortKey(cell.Key.Cohort, 0)], cell.Value))];
    }

    /// <summary>How far down the purchase funnel a session went: page view, add_to_cart, checkout, purchase, each only after the one before.</summary>
    public static int FunnelStep(IEnumerable<Row> session)
    {
        var rows = session.ToList();
        Func<Row, bool>[] steps = [IsPageView, row => row.Type == "add_to_cart", row => row.Type == "checkout", row => row.Type == "purchase"];
        return steps.TakeWhile(step => rows.Any(step)).Count();
    }

    /// <summary>A window's figures for one (event_type, app_type), computed from the rows that fall in it; <paramref name="Valued"/> rows carry a value.</summary>
    public sealed record Cell(DateTimeOffset Start, string EventType, string AppType, long Events, long Users, double? Min, double? Max, double Sum, long Valued);

    public IReadOnlyList<Cell> Windows(TimeSpan size) => [.. Rows
        .GroupBy(row => (Start: Floor(row.At, size), row.Type, row.AppType))
        .OrderBy(group => group.Key.Start).ThenBy(group => group.Key.Type, StringComparer.Ordinal).ThenBy(group => group.Key.AppType, StringComparer.Ordinal)
        .Select(group => new Cell(
            group.Key.Start, group.Key.Type, group.Key.AppType,
            group.Count(),
            group.Select(row => row.UserId).Distinct().Count(),
            group.Where(row => row.Value is not null).Select(row => row.Value).Min(),
            group.Where(row => row.Value is not null).Select(row => row.Value).Max(),
            group.Sum(row => row.Value ?? 0),
            group.Count(row => row.Value is not null)))];

    /// <summary>Per minute: events and distinct users.</summary>
    public IReadOnlyDictionary<DateTimeOffset, (long Events, long Users)> Minutes() => Rows
        .GroupBy(row => Floor(row.At, TimeSpan.FromMinutes(1)))
        .ToDictionary(group => group.Key, group => ((long)group.Count(), (long)group.Select(row => row.UserId).Distinct().Count()));

    public static DateTimeOffset Floor(DateTimeOffset at, TimeSpan size) =>
        new(at.UtcTicks - at.UtcTicks % size.Ticks, TimeSpan.Zero);

    /// <summary>The value of the user's purchase events plus the totals of its orders that count.</summary>
    public decimal RevenueOf(string userId) =>
        RowsOf(userId).Where(row => row.Type == "purchase").Sum(row => (decimal)(row.Value ?? 0))
        + Orders.Where(order => order.Counts && order.CustomerId == userId).Sum(order => order.Total);

    /// <summary>The distinct events of one user.</summary>
    public IEnumerable<Row> RowsOf(string userId) => (_rowsByUser ??= Rows.ToLookup(row => row.UserId, StringComparer.Ordinal))[userId];

    /// <summary>Segment, churn risk and engagement as of <paramref name="today"/>: the rules of docs/metrics.md, written out again over the raw rows.</summary>
    public (string Segment, string ChurnRisk, double EngagementScore) Evaluation(string userId, DateOnly today)
    {
        var (segment, churn, engagement, _) = Evaluate([.. RowsOf(userId)], [.. Orders.Where(o => o.Counts && o.CustomerId == userId)], today);
        return (segment, churn, engagement);
    }

    /// <summary>The segment rules over a user's rows and counted orders, counting the dates up to <paramref name="today"/>; with the revenue of 90 dates.</summary>
    private static (string Segment, string ChurnRisk, double EngagementScore, decimal Revenue90) Evaluate(List<Row> rows, List<Order> orders, DateOnly today)
    {
        bool Within(DateTimeOffset at, int days) => DateOnly.FromDateTime(at.UtcDateTime) > today.AddDays(-days) && DateOnly.FromDateTime(at.UtcDateTime) <= today;
        var revenue90 = rows.Where(r => r.Type == "purchase" && Within(r.At, 90)).Sum(r => (decimal)(r.Value ?? 0))
            + orders.Where(o => Within(o.OrderDate, 90)).Sum(o => o.Total);
        var purchases30 = rows.Count(r => r.Type == "purchase" && Within(r.At, 30));
        var sessionDays = rows.Where(r => r.SessionId is not null && Within(r.At, 7)).Select(r => DateOnly.FromDateTime(r.At.UtcDateTime)).Distinct().Count();
        var daysSince = today.DayNumber - DateOnly.FromDateTime(rows.Max(r => r.At).UtcDateTime).DayNumber;
        var events7 = rows.Count(r => Within(r.At, 7));
        var eventsBefore = rows.Count(r => Within(r.At, 14) && !Within(r.At, 7));
        var segment = revenue90 >= 1000m || purchases30 >= 5 ? "VIP" : daysSince > 30 ? "Inactive" : sessionDays >= 3 ? "Active" : "Regular";
        var churn = daysSince > 14 || (events7 > 0 && events7 < eventsBefore * 0.5) ? "high" : daysSince > 7 ? "medium" : "low";
        var engagement = Math.Round(40 * Math.Max(0, 1 - daysSince / 30.0) + 40 * Math.Min(1, rows.Count(r => Within(r.At, 30)) / 100.0)
            + 20 * Math.Min(1, (double)revenue90 / 1000), 1);
        return (segment, churn, engagement, revenue90);
    }

    /// <summary>
    /// A user's machine-learning features as of <paramref name="asOf"/> (docs/metrics.md): only the rows up to that
    /// instant and the counted orders of dates up to its date; windows (asOf − length, asOf].
    /// </summary>
    public UserFeatures Features(string userId, DateTimeOffset asOf)
    {
        var rows = RowsOf(userId).Where(r => r.At <= asOf).ToList();
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var orders = Orders.Where(o => o.Counts && o.CustomerId == userId && DateOnly.FromDateTime(o.OrderDate.UtcDateTime) <= today).ToList();
        List<Row> In(TimeSpan window) => [.. rows.Where(r => r.At > asOf - window)];
        Dictionary<string, long> ByType(TimeSpan window) => In(window).GroupBy(r => r.Type).ToDictionary(type => type.Key, type => (long)type.Count());
        long Sessions(TimeSpan window) => In(window).Where(r => r.SessionId is not null).Select(r => r.SessionId).Distinct().Count();
        var month = rows.Where(r => DateOnly.FromDateTime(r.At.UtcDateTime) > today.AddDays(-30)).ToList();
        var last = rows.Max(r => r.At);
        var (segment, churn, engagement, revenue90) = Evaluate(rows, orders, today);
        var (hour, day, week) = (TimeSpan.FromHours(1), TimeSpan.FromHours(24), TimeSpan.FromDays(7));
        return new UserFeatures
        {
            UserId = userId,
            AsOf = asOf,
            LastEventAt = last,
            Events1h = In(hour).Count,
            Events24h = In(day).Count,
            Events7d = In(week).Count,
            EventsByType1h = ByType(hour),
            EventsByType24h = ByType(day),
            EventsByType7d = ByType(week),
            Sessions1h = Sessions(hour),
            Sessions24h = Sessions(day),
            Sessions7d = Sessions(week),
            RecencyDays = Math.Round((asOf - last).TotalDays, 3),
            Frequency30d = month.Select(r => DateOnly.FromDateTime(r.At.UtcDateTime)).Distinct().Count(),
            Purchases30d = month.Count(r => r.Type == "purchase"),
            Monetary90d = revenue90,
            Segment = segment,
            ChurnRisk = churn,
            EngagementScore = engagement,
        };
    }

    /// <summary>The last instant of a UTC date: what its feature snapshot is as of.</summary>
    public static DateTimeOffset EndOf(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1).AddTicks(-1);

    /// <summary>The daily feature snapshots: one per user and UTC date with an event, for the dates of the last 31 days before the watermark's date.</summary>
    public IReadOnlyList<UserFeatures> FeatureSnapshots() => [.. Users.SelectMany(user => FeatureSnapshotsOf(user.Key))];

    /// <summary>One user's daily feature snapshots, oldest first.</summary>
    public IEnumerable<UserFeatures> FeatureSnapshotsOf(string userId)
    {
        var oldest = DateOnly.FromDateTime(Watermark.UtcDateTime).AddDays(-31);
        return RowsOf(userId).Select(row => DateOnly.FromDateTime(row.At.UtcDateTime)).Distinct().Where(date => date >= oldest).Order()
            .Select(date => Features(userId, EndOf(date)));
    }

    /// <summary>Every figure of a feature answer as one line (counts by type in ordinal order), to compare answers whole.</summary>
    public static string Describe(UserFeatures f)
    {
        static string Types(IReadOnlyDictionary<string, long> counts) =>
            string.Join(",", counts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"{f.UserId} as of {f.AsOf:O} last {f.LastEventAt:O} | 1h {f.Events1h} [{Types(f.EventsByType1h)}] s{f.Sessions1h} | 24h {f.Events24h} [{Types(f.EventsByType24h)}] s{f.Sessions24h}"
            + $" | 7d {f.Events7d} [{Types(f.EventsByType7d)}] s{f.Sessions7d} | R {f.RecencyDays} F {f.Frequency30d} P {f.Purchases30d} M {f.Monetary90d:0.00}"
            + $" | {f.Segment} {f.ChurnRisk} {f.EngagementScore}");
    }

    /// <summary>
    /// The user's segment on <paramref name="day"/> with only what was known by the end of that date (events and
    /// counted orders up to it); null before the user's first event. The rules of docs/metrics.md.
    /// </summary>
    public string? SegmentOn(string userId, DateOnly day)
    {
        List<Row> rows = [.. RowsOf(userId).Where(r => DateOnly.FromDateTime(r.At.UtcDateTime) <= day)];
        return rows.Count == 0 ? null : Evaluate(rows, [.. Orders.Where(o => o.Counts && o.CustomerId == userId)], day).Segment;
    }

    /// <summary>The recommended action of a segment and churn risk (the table in docs/metrics.md).</summary>
    public static string RecommendedAction(string segment, string churnRisk) => (segment, churnRisk) switch
    {
        ("VIP", "low") => "vip_early_access",
        ("VIP", "medium") => "vip_personal_offer",
        ("VIP", _) => "vip_winback_call",
        ("Active", "low") => "loyalty_program_invite",
        ("Active", _) => "re_engagement_push",
        ("Regular", "low") => "product_recommendations",
        ("Regular", "medium") => "reminder_email",
        ("Regular", _) => "discount_coupon",
        _ => "winback_campaign",
    };

    /// <summary>Per product, the lines of the orders that count: orders, units and quantity × unit_price − discount (a line sent twice is one line).</summary>
    public IReadOnlyDictionary<string, ProductSales> Products()
    {
        var counting = Orders.Where(order => order.Counts).Select(order => order.OrderId).ToHashSet(StringComparer.Ordinal);
        return _changes
            .Where(change => change.Source.Table == "order_items" && change.Op == "c" && counting.Contains(change.After!["order_id"]!))
            .Select(change => change.After!)
            .DistinctBy(line => line["order_item_id"])
            .GroupBy(line => line["product_id"]!)
            .ToDictionary(group => group.Key, group => new ProductSales
            {
                Orders = group.Select(line => line["order_id"]).Distinct().Count(),
                UnitsSold = group.Sum(line => int.Parse(line["quantity"]!, CultureInfo.InvariantCulture)),
                Revenue = group.Sum(line => int.Parse(line["quantity"]!, CultureInfo.InvariantCulture) * decimal.Parse(line["unit_price"]!, CultureInfo.InvariantCulture)
                    - decimal.Parse(line.GetValueOrDefault("discount") ?? "0", CultureInfo.InvariantCulture)),
            }, StringComparer.Ordinal);
    }
}
