using DataPlatform.Analytics.Alerts;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Kpis;

/// <summary>
/// The KPI grain's logic: folds per-silo deltas into totals and event-time activity windows.
/// Activity is measured against the watermark (latest event time seen), so replaying old data gives
/// the same answers as watching it live.
/// </summary>
[GenerateSerializer, Alias("dp.KpiBoard")]
public sealed class KpiBoard
{
    /// <summary>The app type of events that carry none.</summary>
    public const string UnknownAppType = "unknown";

    /// <summary>How many event types the snapshot ranks.</summary>
    public const int TopEventTypeCount = 10;

    [Id(0)] public long TotalEvents { get; private set; }
    [Id(1)] public long DeadLetters { get; private set; }
    [Id(2)] public DateTimeOffset? Watermark { get; private set; }
    [Id(3)] private readonly Dictionary<string, DateTimeOffset> _userLastSeen = new(StringComparer.Ordinal);
    [Id(4)] private readonly Dictionary<string, DateTimeOffset> _sessionLastSeen = new(StringComparer.Ordinal);
    [Id(5)] private readonly Dictionary<WindowKey, MetricCell> _minuteCells = [];
    [Id(6)] private readonly Dictionary<WindowKey, MetricCell> _hourCells = [];
    [Id(7)] private readonly Dictionary<long, long> _minuteUsers = [];
    [Id(8)] public long LateEvents { get; private set; }
    [Id(9)] private readonly Dictionary<DateOnly, SessionDayStats> _closedSessions = [];
    [Id(10)] private readonly Dictionary<DateOnly, OrderDayStats> _orders = [];
    [Id(11)] private readonly Dictionary<string, SegmentStats> _segments = new(StringComparer.Ordinal);
    [Id(12)] private readonly Dictionary<DateOnly, DayUsers> _days = [];
    [Id(13)] private readonly Dictionary<string, ProductSales> _products = new(StringComparer.Ordinal);
    [Id(14)] public long ErasedUserRecords { get; private set; }
    [Id(15)] private readonly Dictionary<FunnelKey, FunnelDayStats> _funnels = [];
    [Id(16)] private readonly Dictionary<CohortKey, long> _cohorts = [];

    /// <summary>Per minute start (Unix seconds): dead letters reported while the watermark lay in the minute, until it is judged.</summary>
    [Id(17)] private readonly Dictionary<long, long> _minuteDeadLetters = [];

    /// <summary>Per minute start (Unix seconds): the largest consumer lag reported while the watermark lay in the minute, until it is judged.</summary>
    [Id(18)] private readonly Dictionary<long, long> _minuteLag = [];
    [Id(19)] private readonly AlertWatch _alerts = new();
    [NonSerialized] private readonly Dictionary<string, (long Lag, long Lost, DateTimeOffset At)> _lagBySilo = new(StringComparer.Ordinal);

    /// <summary>A silo's lag counts while it reported within this long.</summary>
    public static readonly TimeSpan LagFreshness = TimeSpan.FromSeconds(30);
    [NonSerialized] private EventRateWindow? _rate;

    /// <summary>
    /// Folds one delta in, whole or not at all: every sum that can fail (money in decimals, counts in
    /// checked longs) is computed before anything changes, so a delta that throws leaves the board as
    /// it was and a retry can never count its events twice.
    /// </summary>
    public void Apply(KpiDelta delta, DateTimeOffset now, KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(options);
        var totalEvents = checked(TotalEvents + delta.Events);
        var deadLetters = checked(DeadLetters + delta.DeadLetters);
        var erasedUserRecords = checked(ErasedUserRecords + delta.ErasedUserRecords);
        var closedSessions = _closedSessions.SumsWith(delta.ClosedSessions);
        var funnels = _funnels.SumsWith(delta.Funnels);
        var orders = _orders.SumsWith(delta.Orders);
        var segments = _segments.SumsWith(delta.Segments);
        var days = _days.SumsWith(delta.Days);
        var products = _products.SumsWith(delta.Products);

        TotalEvents = totalEvents;
        DeadLetters = deadLetters;
        ErasedUserRecords = erasedUserRecords;
        RateWindow(options).Add(now, delta.Events);
        MergeWindows(delta, options);
        _closedSessions.SetAll(closedSessions);
        _funnels.SetAll(funnels);
        foreach (var (cell, change) in delta.Cohorts)
        {
            _cohorts[cell] = _cohorts.GetValueOrDefault(cell) + change;
        }
        _orders.SetAll(orders);
        _segments.SetAll(segments);
        _days.SetAll(days);
        _products.SetAll(products);
        if (delta.Silo is { } silo && delta.ConsumerLag is { } lag)
        {
            _lagBySilo[silo] = (lag, delta.RecordsLost ?? 0, now);
        }
        foreach (var (user, seen) in delta.UserLastSeen)
        {
            KeepLatest(_userLastSeen, user, seen);
        }
        foreach (var (session, seen) in delta.SessionLastSeen)
        {
            KeepLatest(_sessionLastSeen, session, seen);
        }
        RecordOpsMinute(delta, now);
        Prune(options);
    }

    // Dead letters and lag carry no event time of their own: they count for the minute the watermark is in when they
    // arrive, a minute still open (docs/metrics.md, "Anomaly alerts").
    private void RecordOpsMinute(KpiDelta delta, DateTimeOffset now)
    {
        if (Watermark is not { } watermark)
        {
            return;
        }
        var minute = TumblingWindows.MinuteOf(watermark);
        if (delta.DeadLetters > 0)
        {
            _minuteDeadLetters[minute] = _minuteDeadLetters.GetValueOrDefault(minute) + delta.DeadLetters;
        }
        if (delta.ConsumerLag is not null)
        {
            _minuteLag[minute] = Math.Max(_minuteLag.GetValueOrDefault(minute), FreshLag(now));
        }
    }

    /// <summary>
    /// Judges every minute of event time that closed (its end plus the allowed lateness is behind the watermark) since
    /// the last call, in order, and answers the alerts that opened or closed.
    /// </summary>
    public IReadOnlyList<Alert> JudgeClosedMinutes(KpiOptions options, AlertOptions alertOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(alertOptions);
        if (Watermark is not { } watermark)
        {
            return [];
        }
        var lastClosed = TumblingWindows.MinuteOf(watermark - options.AllowedLateness) - TumblingWindows.MinuteSeconds;
        var next = _alerts.LastJudged is { } judged ? judged.ToUnixTimeSeconds() + TumblingWindows.MinuteSeconds : EarliestMinute();
        if (next is not { } first || first > lastClosed)
        {
            return [];
        }
        // Older minutes' cells are gone: a jump of the watermark judges at most the minutes still kept.
        first = Math.Max(first, lastClosed - (long)options.MinuteHistory.TotalSeconds);
        var events = _minuteCells.Where(pair => pair.Key.Start >= first && pair.Key.Start <= lastClosed)
            .GroupBy(pair => pair.Key.Start)
            .ToDictionary(group => group.Key, group => (
                Events: group.Sum(pair => pair.Value.Events),
                Errors: group.Where(pair => pair.Key.EventType == EventTypes.Error).Sum(pair => pair.Value.Events)));
        var changes = new List<Alert>();
        for (var start = first; start <= lastClosed; start += TumblingWindows.MinuteSeconds)
        {
            var (eventCount, errors) = events.GetValueOrDefault(start);
            long? lag = _minuteLag.TryGetValue(start, out var reported) ? reported : null;
            changes.AddRange(_alerts.Judge(new AlertMinute(TumblingWindows.StartTime(start), eventCount, errors, _minuteDeadLetters.GetValueOrDefault(start), lag), alertOptions));
        }
        foreach (var minute in _minuteDeadLetters.Keys.Where(minute => minute <= lastClosed).ToList())
        {
            _minuteDeadLetters.Remove(minute);
        }
        foreach (var minute in _minuteLag.Keys.Where(minute => minute <= lastClosed).ToList())
        {
            _minuteLag.Remove(minute);
        }
        return changes;
    }

    private long? EarliestMinute()
    {
        var starts = _minuteCells.Keys.Select(key => key.Start).Concat(_minuteDeadLetters.Keys).Concat(_minuteLag.Keys).ToList();
        return starts.Count == 0 ? null : starts.Min();
    }

    /// <summary>The open anomaly alerts, oldest first, then the recent closed ones, most recently closed first.</summary>
    public IReadOnlyList<Alert> Alerts() => _alerts.Alerts();

    /// <summary>
    /// Forgets an erased user and their sessions: the last-seen times kept to count distinct actives are the
    /// only per-user data the KPIs hold. Every other figure is a sum over users and keeps what they counted.
    /// </summary>
    public bool Forget(string userId, IEnumerable<string> sessionIds)
    {
        ArgumentNullException.ThrowIfNull(sessionIds);
        var forgotten = _userLastSeen.Remove(userId);
        foreach (var session in sessionIds)
        {
            forgotten |= _sessionLastSeen.Remove(session);
        }
        return forgotten;
    }

    public KpiSnapshot Snapshot(DateTimeOffset now, KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new KpiSnapshot
        {
            At = now,
            EventsPerSecond = RateWindow(options).PerSecond(now),
            TotalEvents = TotalEvents,
            ActiveUsers = CountSince(_userLastSeen, options.ActiveUserWindow),
            ActiveSessions = CountSince(_sessionLastSeen, options.ActiveSessionWindow),
            DeadLetters = DeadLetters,
            ErasedUserRecords = ErasedUserRecords,
            Watermark = Watermark,
            LateEvents = LateEvents,
            TopEventTypes = TopEventTypes(),
            BounceRate = Today()?.BounceRate,
            AvgSessionDurationS = Today()?.AverageDurationSeconds,
            OrdersToday = OrdersToday()?.Orders ?? 0,
            RevenueToday = OrdersToday()?.Revenue ?? 0,
            AvgOrderValue = OrdersToday()?.AverageOrderValue,
            Segments = SegmentNames.All.ToDictionary(name => name, name => _segments.GetValueOrDefault(name)?.Users ?? 0, StringComparer.Ordinal),
            ConsumerLag = FreshLag(now),
            RecordsLost = _lagBySilo.Values.Where(entry => now - entry.At <= LagFreshness).Sum(entry => entry.Lost),
        };
    }

    /// <summary>Sales per product from the orders that count (products without sales are left out).</summary>
    public IReadOnlyDictionary<string, ProductSales> ProductPerformance() =>
        _products.Where(pair => pair.Value.Orders != 0 || pair.Value.UnitsSold != 0).ToDictionary(StringComparer.Ordinal);

    /// <summary>
    /// Sales of every product that ever had some: zero for a product whose orders all stopped counting, so that
    /// its gold row goes back to zero instead of keeping the sales it had.
    /// </summary>
    public IReadOnlyDictionary<string, ProductSales> ProductsEverSold() => _products.ToDictionary(StringComparer.Ordinal);

    /// <summary>The summary of one UTC date (a row of gold.daily_summary).</summary>
    public DailySummary DailySummary(DateOnly date)
    {
        var users = _days.GetValueOrDefault(date) ?? new DayUsers();
        var sessions = ClosedSessionsOn(date);
        var orders = OrdersOn(date);
        return new DailySummary
        {
            Date = date,
            TotalUsers = users.Users,
            NewUsers = users.NewUsers,
            ReturningUsersPct = users.Users > 0 ? Math.Round(100.0 * (users.Users - users.NewUsers) / users.Users, 1) : null,
            Sessions = sessions?.Sessions ?? 0,
            BounceRate = sessions?.BounceRate,
            AvgSessionDurationS = sessions?.AverageDurationSeconds,
            TotalEvents = users.Events,
            Orders = orders?.Orders ?? 0,
            Revenue = orders?.Revenue ?? 0,
            AvgOrderValue = orders?.AverageOrderValue,
        };
    }

    /// <summary>Every UTC date with users, closed sessions or orders, ascending.</summary>
    public IReadOnlyList<DateOnly> Days() => [.. _days.Keys.Union(_closedSessions.Keys).Union(_orders.Keys).Order()];

    /// <summary>Orders that count as revenue, by the UTC date of their order_date.</summary>
    public OrderDayStats? OrdersOn(DateOnly date) => _orders.GetValueOrDefault(date);

    private OrderDayStats? OrdersToday() =>
        Watermark is { } watermark ? OrdersOn(DateOnly.FromDateTime(watermark.UtcDateTime)) : null;

    /// <summary>The purchase funnel of every day and app type with closed sessions, by date then app type.</summary>
    public IReadOnlyList<FunnelDay> Funnels() => [.. _funnels
        .OrderBy(funnel => funnel.Key.Date).ThenBy(funnel => funnel.Key.AppType, StringComparer.Ordinal)
        .Select(funnel => new FunnelDay(funnel.Key.Date, funnel.Key.AppType, funnel.Value.Sessions, funnel.Value.Viewed,
            funnel.Value.AddedToCart, funnel.Value.CheckedOut, funnel.Value.Purchased))];

    /// <summary>
    /// Weekly cohort retention: every cohort cell that ever had a user, by cohort then week (week 0 is the cohort's
    /// size). A cell can fall to 0 when a late event moves its users' first week to an earlier cohort.
    /// </summary>
    public IReadOnlyList<CohortRetention> Cohorts() => [.. _cohorts
        .OrderBy(cell => cell.Key.Cohort).ThenBy(cell => cell.Key.Week)
        .Select(cell => new CohortRetention(cell.Key.Cohort, cell.Key.Week, _cohorts.GetValueOrDefault(new CohortKey(cell.Key.Cohort, 0)), cell.Value))];

    /// <summary>Closed sessions by the UTC date they started.</summary>
    public SessionDayStats? ClosedSessionsOn(DateOnly date) => _closedSessions.GetValueOrDefault(date);

    private SessionDayStats? Today() =>
        Watermark is { } watermark ? ClosedSessionsOn(DateOnly.FromDateTime(watermark.UtcDateTime)) : null;

    /// <summary>The figures of one 1-minute window and cell, or null when nothing fell in it.</summary>
    public MetricCell? MinuteCell(WindowKey key) => _minuteCells.GetValueOrDefault(key)?.Copy();

    /// <summary>The figures of one 1-hour window and cell, or null when nothing fell in it.</summary>
    public MetricCell? HourCell(WindowKey key) => _hourCells.GetValueOrDefault(key)?.Copy();

    /// <summary>Every 1-hour window kept, oldest first.</summary>
    public IReadOnlyList<EventMetric> HourlyMetrics() => Ordered(_hourCells, long.MinValue);

    /// <summary>The 1-minute windows of the last <paramref name="minutes"/> minutes before the watermark, oldest first.</summary>
    public IReadOnlyList<EventMetric> MinuteMetrics(int minutes) =>
        Watermark is { } watermark
            ? Ordered(_minuteCells, TumblingWindows.MinuteOf(watermark) - (minutes - 1) * TumblingWindows.MinuteSeconds)
            : [];

    private static List<EventMetric> Ordered(Dictionary<WindowKey, MetricCell> cells, long from) =>
    [
        .. cells.Where(pair => pair.Key.Start >= from)
            .OrderBy(pair => pair.Key.Start)
            .ThenBy(pair => pair.Key.EventType, StringComparer.Ordinal)
            .ThenBy(pair => pair.Key.AppType, StringComparer.Ordinal)
            .Select(pair => EventMetric.From(pair.Key, pair.Value)),
    ];

    /// <summary>The last <paramref name="minutes"/> minutes of event time, oldest first, ending with the watermark's minute.</summary>
    public IReadOnlyList<KpiMinute> History(int minutes)
    {
        if (Watermark is not { } watermark || minutes <= 0)
        {
            return [];
        }
        var last = TumblingWindows.MinuteOf(watermark);
        var eventsByMinute = _minuteCells.GroupBy(pair => pair.Key.Start).ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value.Events));
        return [.. Enumerable.Range(0, minutes)
            .Select(offset => last - (minutes - 1 - offset) * TumblingWindows.MinuteSeconds)
            .Select(start => new KpiMinute
            {
                Minute = TumblingWindows.StartTime(start),
                Events = eventsByMinute.GetValueOrDefault(start),
                ActiveUsers = _minuteUsers.GetValueOrDefault(start),
            })];
    }

    // The last complete minute: the one before the watermark's minute.
    private List<EventTypeCount> TopEventTypes()
    {
        if (Watermark is not { } watermark)
        {
            return [];
        }
        var minute = TumblingWindows.MinuteOf(watermark) - TumblingWindows.MinuteSeconds;
        return [.. _minuteCells
            .Where(pair => pair.Key.Start == minute)
            .GroupBy(pair => pair.Key.EventType, StringComparer.Ordinal)
            .Select(group => new EventTypeCount(group.Key, group.Sum(pair => pair.Value.Events)))
            .OrderByDescending(count => count.Count)
            .ThenBy(count => count.EventType, StringComparer.Ordinal)
            .Take(TopEventTypeCount)];
    }

    // Windows are judged against the watermark as it was before this delta: a delta's own newest
    // events never make its older events late.
    private void MergeWindows(KpiDelta delta, KpiOptions options)
    {
        var watermark = Watermark?.ToUnixTimeSeconds() ?? long.MinValue;
        var lateness = (long)options.AllowedLateness.TotalSeconds;
        bool IsOpen(long start, long size) => watermark == long.MinValue || start + size + lateness > watermark;

        foreach (var (key, cell) in delta.MinuteCells)
        {
            if (IsOpen(key.Start, TumblingWindows.MinuteSeconds))
            {
                Merge(_minuteCells, key, cell);
            }
            else
            {
                LateEvents += cell.Events;
            }
        }
        foreach (var (key, cell) in delta.HourCells.Where(pair => IsOpen(pair.Key.Start, TumblingWindows.HourSeconds)))
        {
            Merge(_hourCells, key, cell);
        }
        foreach (var (minute, users) in delta.MinuteNewUsers.Where(pair => IsOpen(pair.Key, TumblingWindows.MinuteSeconds)))
        {
            _minuteUsers[minute] = _minuteUsers.GetValueOrDefault(minute) + users;
        }
    }

    private static void Merge(Dictionary<WindowKey, MetricCell> cells, WindowKey key, MetricCell cell)
    {
        if (cells.TryGetValue(key, out var existing))
        {
            existing.Merge(cell);
        }
        else
        {
            cells[key] = cell.Copy();
        }
    }

    private long FreshLag(DateTimeOffset now) => _lagBySilo.Values.Where(entry => now - entry.At <= LagFreshness).Sum(entry => entry.Lag);

    private EventRateWindow RateWindow(KpiOptions options) => _rate ??= new EventRateWindow(options.RateWindowSeconds);

    private void KeepLatest(Dictionary<string, DateTimeOffset> lastSeen, string key, DateTimeOffset at)
    {
        if (!lastSeen.TryGetValue(key, out var known) || at > known)
        {
            lastSeen[key] = at;
        }
        if (Watermark is null || at > Watermark)
        {
            Watermark = at;
        }
    }

    private int CountSince(Dictionary<string, DateTimeOffset> lastSeen, TimeSpan window)
    {
        if (Watermark is not { } watermark)
        {
            return 0;
        }
        var since = watermark - window;
        return lastSeen.Values.Count(seen => seen >= since);
    }

    // Entries that fell out of their window can never count again: a later event re-adds them.
    private void Prune(KpiOptions options)
    {
        if (Watermark is not { } watermark)
        {
            return;
        }
        RemoveBefore(_userLastSeen, watermark - options.ActiveUserWindow);
        RemoveBefore(_sessionLastSeen, watermark - options.ActiveSessionWindow);
        var minutesFrom = (watermark - options.MinuteHistory).ToUnixTimeSeconds();
        var hoursFrom = (watermark - options.HourHistory).ToUnixTimeSeconds();
        foreach (var key in _minuteCells.Keys.Where(key => key.Start < minutesFrom).ToList())
        {
            _minuteCells.Remove(key);
        }
        foreach (var key in _hourCells.Keys.Where(key => key.Start < hoursFrom).ToList())
        {
            _hourCells.Remove(key);
        }
        foreach (var minute in _minuteUsers.Keys.Where(minute => minute < minutesFrom).ToList())
        {
            _minuteUsers.Remove(minute);
        }
    }

    private static void RemoveBefore(Dictionary<string, DateTimeOffset> lastSeen, DateTimeOffset since)
    {
        foreach (var (key, seen) in lastSeen)
        {
            if (seen < since)
            {
                lastSeen.Remove(key);
            }
        }
    }
}
