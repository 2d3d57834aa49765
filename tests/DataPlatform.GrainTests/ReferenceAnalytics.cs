using DataPlatform.Contracts.Events;
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
        Orders = FinalOrders(records.Select(record => record.Event).OfType<CdcChange>());
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
            DateTimeOffset.Parse(pair.Value.Row["order_date"]!, System.Globalization.CultureInfo.InvariantCulture),
            pair.Value.Row["status"]!,
            decimal.Parse(pair.Value.Row["total_amount"]!, System.Globalization.CultureInfo.InvariantCulture),
            pair.Value.Deleted))];
    }

    /// <summary>Distinct events: a record sent twice counts once.</summary>
    public IReadOnlyList<Row> Rows { get; }

    public DateTimeOffset Watermark => _watermark ??= Rows.Max(row => row.At);

    public IReadOnlyList<IGrouping<string, Row>> Users => _users ??= [.. Rows.GroupBy(row => row.UserId)];

    public IReadOnlyList<IGrouping<string, Row>> Sessions => _sessions ??= [.. Rows.Where(row => row.SessionId is not null).GroupBy(row => row.SessionId!)];

    private DateTimeOffset? _watermark;
    private List<IGrouping<string, Row>>? _users;
    private List<IGrouping<string, Row>>? _sessions;

    public int ActiveUsers(TimeSpan window) => Users.Count(user => user.Max(row => row.At) >= Watermark - window);

    public int ActiveSessions(TimeSpan window) => Sessions.Count(session => session.Max(row => row.At) >= Watermark - window);

    public static bool IsPageView(Row row) => row.Type is "page_view" or "screen_view";

    /// <summary>A window's figures for one (event_type, app_type), computed from the rows that fall in it.</summary>
    public sealed record Cell(DateTimeOffset Start, string EventType, string AppType, long Events, long Users, double? Min, double? Max, double Sum);

    public IReadOnlyList<Cell> Windows(TimeSpan size) => [.. Rows
        .GroupBy(row => (Start: Floor(row.At, size), row.Type, row.AppType))
        .OrderBy(group => group.Key.Start).ThenBy(group => group.Key.Type, StringComparer.Ordinal).ThenBy(group => group.Key.AppType, StringComparer.Ordinal)
        .Select(group => new Cell(
            group.Key.Start, group.Key.Type, group.Key.AppType,
            group.Count(),
            group.Select(row => row.UserId).Distinct().Count(),
            group.Where(row => row.Value is not null).Select(row => row.Value).Min(),
            group.Where(row => row.Value is not null).Select(row => row.Value).Max(),
            group.Sum(row => row.Value ?? 0)))];

    /// <summary>Per minute: events and distinct users.</summary>
    public IReadOnlyDictionary<DateTimeOffset, (long Events, long Users)> Minutes() => Rows
        .GroupBy(row => Floor(row.At, TimeSpan.FromMinutes(1)))
        .ToDictionary(group => group.Key, group => ((long)group.Count(), (long)group.Select(row => row.UserId).Distinct().Count()));

    public static DateTimeOffset Floor(DateTimeOffset at, TimeSpan size) =>
        new(at.UtcTicks - at.UtcTicks % size.Ticks, TimeSpan.Zero);
}
