using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Kpis;

/// <summary>
/// Per-silo pre-aggregation: grains on one silo record into it concurrently, and once a second its
/// content is drained into one <see cref="KpiDelta"/> for the KPI grain.
/// </summary>
public sealed class KpiAccumulator
{
    private readonly Lock _gate = new();
    private KpiDelta _pending = new();

    // Plain counters: the delta record is immutable in its counts, and copying it per event would allocate.
    private long _events;
    private long _deadLetters;

    public void RecordEvent(UserActivity activity, WindowMembership windows)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var appType = activity.AppType ?? KpiBoard.UnknownAppType;
        var minute = TumblingWindows.MinuteOf(activity.Timestamp);
        lock (_gate)
        {
            _events++;
            Cell(_pending.MinuteCells, new WindowKey(minute, activity.EventType, appType)).Add(activity.Value, windows.FirstInMinuteCell);
            Cell(_pending.HourCells, new WindowKey(TumblingWindows.HourOf(activity.Timestamp), activity.EventType, appType))
                .Add(activity.Value, windows.FirstInHourCell);
            if (windows.FirstInMinute)
            {
                _pending.MinuteNewUsers[minute] = _pending.MinuteNewUsers.GetValueOrDefault(minute) + 1;
            }
            AddDay(DateOnly.FromDateTime(activity.Timestamp.UtcDateTime), new DayUsers { Events = 1, Users = windows.FirstInDay ? 1 : 0 });
            if (windows.FirstSeenMoved is { } moved)
            {
                if (moved.From is { } from)
                {
                    AddDay(from, new DayUsers { NewUsers = -1 });
                }
                AddDay(moved.To, new DayUsers { NewUsers = 1 });
            }
            KeepLatest(_pending.UserLastSeen, activity.UserId, activity.Timestamp);
            if (activity.SessionId is { } sessionId)
            {
                KeepLatest(_pending.SessionLastSeen, sessionId, activity.Timestamp);
            }
        }
    }

    /// <summary>Records a session that closed (sign +1) or a closed session that reopened (sign −1).</summary>
    public void RecordSessionClosed(SessionSnapshot session, int sign)
    {
        ArgumentNullException.ThrowIfNull(session);
        var date = DateOnly.FromDateTime(session.StartedAt.UtcDateTime);
        var stats = SessionDayStats.Of(session, sign);
        lock (_gate)
        {
            _pending.ClosedSessions.Accumulate(date, stats);
        }
    }

    /// <summary>Takes back what an order counted before and adds what it counts now.</summary>
    public void RecordOrderChange(OrderState? before, OrderState? after)
    {
        lock (_gate)
        {
            if (before is { Counts: true })
            {
                AddOrder(before, -1);
            }
            if (after is { Counts: true })
            {
                AddOrder(after, 1);
            }
        }
    }

    private void AddOrder(OrderState order, int sign)
    {
        var date = DateOnly.FromDateTime(order.OrderDate.UtcDateTime);
        var stats = new OrderDayStats { Orders = sign, Revenue = sign * order.TotalAmount };
        _pending.Orders.Accumulate(date, stats);
    }

    /// <summary>Moves a user's contribution from one segment (or none) to another (or the same, updated).</summary>
    public void RecordSegmentChange((string Segment, double Engagement, decimal Revenue)? before, (string Segment, double Engagement, decimal Revenue) after)
    {
        lock (_gate)
        {
            if (before is { } old)
            {
                AddSegment(old.Segment, new SegmentStats { Users = -1, EngagementSum = -old.Engagement, Revenue = -old.Revenue });
            }
            AddSegment(after.Segment, new SegmentStats { Users = 1, EngagementSum = after.Engagement, Revenue = after.Revenue });
        }
    }

    /// <summary>Adds sales changes per product (from an order whose lines or status changed).</summary>
    public void RecordProductChanges(IReadOnlyDictionary<string, ProductSales> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            _pending.Products.AccumulateAll(changes);
        }
    }

    private void AddDay(DateOnly date, DayUsers change) => _pending.Days.Accumulate(date, change);

    private void AddSegment(string segment, SegmentStats change) => _pending.Segments.Accumulate(segment, change);

    public void RecordDeadLetter()
    {
        lock (_gate)
        {
            _deadLetters++;
        }
    }

    /// <summary>Takes everything recorded so far and starts a new, empty delta.</summary>
    public KpiDelta Drain()
    {
        lock (_gate)
        {
            var drained = _pending with { Events = _events, DeadLetters = _deadLetters };
            _pending = new KpiDelta();
            _events = 0;
            _deadLetters = 0;
            return drained;
        }
    }

    /// <summary>Puts back a drained delta whose delivery failed, so that nothing is lost.</summary>
    public void Restore(KpiDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        lock (_gate)
        {
            var merged = Merge(delta, _pending);
            _events += merged.Events;
            _deadLetters += merged.DeadLetters;
            _pending = merged with { Events = 0, DeadLetters = 0 };
        }
    }

    public static KpiDelta Merge(KpiDelta first, KpiDelta second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var merged = new KpiDelta
        {
            Events = first.Events + second.Events,
            DeadLetters = first.DeadLetters + second.DeadLetters,
            UserLastSeen = new Dictionary<string, DateTimeOffset>(first.UserLastSeen, StringComparer.Ordinal),
            SessionLastSeen = new Dictionary<string, DateTimeOffset>(first.SessionLastSeen, StringComparer.Ordinal),
        };
        foreach (var (user, seen) in second.UserLastSeen)
        {
            KeepLatest(merged.UserLastSeen, user, seen);
        }
        foreach (var (session, seen) in second.SessionLastSeen)
        {
            KeepLatest(merged.SessionLastSeen, session, seen);
        }
        foreach (var delta in new[] { first, second })
        {
            foreach (var (key, cell) in delta.MinuteCells)
            {
                Cell(merged.MinuteCells, key).Merge(cell);
            }
            foreach (var (key, cell) in delta.HourCells)
            {
                Cell(merged.HourCells, key).Merge(cell);
            }
            foreach (var (minute, users) in delta.MinuteNewUsers)
            {
                merged.MinuteNewUsers[minute] = merged.MinuteNewUsers.GetValueOrDefault(minute) + users;
            }
            merged.ClosedSessions.AccumulateAll(delta.ClosedSessions);
            merged.Orders.AccumulateAll(delta.Orders);
            merged.Segments.AccumulateAll(delta.Segments);
            merged.Days.AccumulateAll(delta.Days);
            merged.Products.AccumulateAll(delta.Products);
        }
        return merged;
    }

    private static MetricCell Cell(Dictionary<WindowKey, MetricCell> cells, WindowKey key)
    {
        if (!cells.TryGetValue(key, out var cell))
        {
            cell = new MetricCell();
            cells[key] = cell;
        }
        return cell;
    }

    private static void KeepLatest(Dictionary<string, DateTimeOffset> lastSeen, string key, DateTimeOffset at)
    {
        if (!lastSeen.TryGetValue(key, out var known) || at > known)
        {
            lastSeen[key] = at;
        }
    }
}
