using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Kpis;

/// <summary>
/// Per-silo pre-aggregation: grains on one silo record into it concurrently, and once a second its
/// content is drained into one <see cref="KpiDelta"/> for the KPI grain. Every figure is a sum, a count or
/// a latest time, so the order of records does not matter: each thread records into a stripe of its own
/// choosing (by thread id), and a drain merges the stripes. One shared lock made threads wait on each other.
/// </summary>
public sealed class KpiAccumulator
{
    private readonly Stripe[] _stripes = [.. Enumerable.Range(0, Math.Max(4, 2 * Environment.ProcessorCount)).Select(_ => new Stripe())];

    // Drains, restores and discards take it: a delta put back never crosses a discard.
    private readonly Lock _generationGate = new();
    private long? _generation;

    private Stripe Current => _stripes[(uint)Environment.CurrentManagedThreadId % (uint)_stripes.Length];

    public void RecordEvent(UserActivity activity, WindowMembership windows)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var appType = activity.AppType ?? KpiBoard.UnknownAppType;
        var minute = TumblingWindows.MinuteOf(activity.Timestamp);
        var stripe = Current;
        lock (stripe.Gate)
        {
            var pending = stripe.Pending;
            stripe.Events++;
            Cell(pending.MinuteCells, new WindowKey(minute, activity.EventType, appType)).Add(activity.Value, windows.FirstInMinuteCell);
            Cell(pending.HourCells, new WindowKey(TumblingWindows.HourOf(activity.Timestamp), activity.EventType, appType))
                .Add(activity.Value, windows.FirstInHourCell);
            if (windows.FirstInMinute)
            {
                pending.MinuteNewUsers[minute] = pending.MinuteNewUsers.GetValueOrDefault(minute) + 1;
            }
            AddDay(pending, DateOnly.FromDateTime(activity.Timestamp.UtcDateTime), new DayUsers { Events = 1, Users = windows.FirstInDay ? 1 : 0 });
            if (windows.FirstSeenMoved is { } moved)
            {
                if (moved.From is { } from)
                {
                    AddDay(pending, from, new DayUsers { NewUsers = -1 });
                }
                AddDay(pending, moved.To, new DayUsers { NewUsers = 1 });
            }
            KeepLatest(pending.UserLastSeen, activity.UserId, activity.Timestamp);
            if (activity.SessionId is { } sessionId)
            {
                KeepLatest(pending.SessionLastSeen, sessionId, activity.Timestamp);
            }
        }
    }

    /// <summary>Records a session that closed (sign +1) or a closed session that reopened (sign −1).</summary>
    public void RecordSessionClosed(SessionSnapshot session, int sign)
    {
        ArgumentNullException.ThrowIfNull(session);
        var date = DateOnly.FromDateTime(session.StartedAt.UtcDateTime);
        var stats = SessionDayStats.Of(session, sign);
        var stripe = Current;
        lock (stripe.Gate)
        {
            stripe.Pending.ClosedSessions.Accumulate(date, stats);
            stripe.Pending.Funnels.Accumulate(new FunnelKey(date, session.AppType ?? KpiBoard.UnknownAppType), FunnelDayStats.Of(session, sign));
        }
    }

    /// <summary>Takes back what an order counted before and adds what it counts now.</summary>
    public void RecordOrderChange(OrderState? before, OrderState? after)
    {
        var stripe = Current;
        lock (stripe.Gate)
        {
            if (before is { Counts: true })
            {
                AddOrder(stripe.Pending, before, -1);
            }
            if (after is { Counts: true })
            {
                AddOrder(stripe.Pending, after, 1);
            }
        }
    }

    private static void AddOrder(KpiDelta pending, OrderState order, int sign)
    {
        var date = DateOnly.FromDateTime(order.OrderDate.UtcDateTime);
        var stats = new OrderDayStats { Orders = sign, Revenue = sign * order.TotalAmount };
        pending.Orders.Accumulate(date, stats);
    }

    /// <summary>Moves a user's contribution from one segment (or none) to another (or the same, updated).</summary>
    public void RecordSegmentChange((string Segment, double Engagement, decimal Revenue)? before, (string Segment, double Engagement, decimal Revenue) after)
    {
        var stripe = Current;
        lock (stripe.Gate)
        {
            if (before is { } old)
            {
                AddSegment(stripe.Pending, old.Segment, new SegmentStats { Users = -1, EngagementSum = -old.Engagement, Revenue = -old.Revenue });
            }
            AddSegment(stripe.Pending, after.Segment, new SegmentStats { Users = 1, EngagementSum = after.Engagement, Revenue = after.Revenue });
        }
    }

    /// <summary>Adds a user's moves between weekly cohort cells.</summary>
    public void RecordCohortChanges(IReadOnlyList<(CohortKey Cell, int Change)> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }
        var stripe = Current;
        lock (stripe.Gate)
        {
            foreach (var (cell, change) in changes)
            {
                stripe.Pending.Cohorts[cell] = stripe.Pending.Cohorts.GetValueOrDefault(cell) + change;
            }
        }
    }

    /// <summary>Takes an erased user's contribution out of the segment it was counted in.</summary>
    public void RecordSegmentLeft(string segment, double engagement, decimal revenue)
    {
        var stripe = Current;
        lock (stripe.Gate)
        {
            AddSegment(stripe.Pending, segment, new SegmentStats { Users = -1, EngagementSum = -engagement, Revenue = -revenue });
        }
    }

    /// <summary>Adds sales changes per product (from an order whose lines or status changed).</summary>
    public void RecordProductChanges(IReadOnlyDictionary<string, ProductSales> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var stripe = Current;
        lock (stripe.Gate)
        {
            stripe.Pending.Products.AccumulateAll(changes);
        }
    }

    private static void AddDay(KpiDelta pending, DateOnly date, DayUsers change) => pending.Days.Accumulate(date, change);

    private static void AddSegment(KpiDelta pending, string segment, SegmentStats change) => pending.Segments.Accumulate(segment, change);

    public void RecordDeadLetter()
    {
        var stripe = Current;
        lock (stripe.Gate)
        {
            stripe.DeadLetters++;
        }
    }

    /// <summary>Counts records of erased users that were dropped.</summary>
    public void RecordErasedUserRecords(int count)
    {
        var stripe = Current;
        lock (stripe.Gate)
        {
            stripe.ErasedUserRecords += count;
        }
    }

    /// <summary>Takes everything recorded so far, stamped with its generation, and starts a new, empty delta.</summary>
    public KpiDelta Drain()
    {
        lock (_generationGate)
        {
            return TakeAll() with { Generation = _generation };
        }
    }

    /// <summary>
    /// The cluster rolls back and starts <paramref name="generation"/>: what was recorded is dropped (the replay
    /// records it again), and a delta drained before may no longer be put back.
    /// </summary>
    public void Discard(long generation)
    {
        lock (_generationGate)
        {
            TakeAll();
            _generation = Math.Max(_generation ?? generation, generation);
        }
    }

    /// <summary>
    /// Takes on the cluster's generation when this silo joins it (no roll-back of its own yet): what it recorded
    /// so far belongs to it. Never goes back.
    /// </summary>
    public void Follow(long generation)
    {
        lock (_generationGate)
        {
            _generation = Math.Max(_generation ?? generation, generation);
        }
    }

    /// <summary>
    /// Puts back a drained delta whose delivery failed, so that nothing is lost; false (and nothing put back)
    /// when a roll-back discarded its generation since it was drained.
    /// </summary>
    public bool Restore(KpiDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        lock (_generationGate)
        {
            if (delta.Generation < _generation)
            {
                return false;
            }
            var stripe = Current;
            lock (stripe.Gate)
            {
                var merged = Merge(delta, stripe.Pending);
                stripe.Events += merged.Events;
                stripe.DeadLetters += merged.DeadLetters;
                stripe.ErasedUserRecords += merged.ErasedUserRecords;
                stripe.Pending = merged with { Events = 0, DeadLetters = 0, ErasedUserRecords = 0 };
            }
            return true;
        }
    }

    private KpiDelta TakeAll()
    {
        KpiDelta? drained = null;
        foreach (var stripe in _stripes)
        {
            var taken = stripe.Take();
            drained = drained is null ? taken : Merge(drained, taken);
        }
        return drained!;
    }

    public static KpiDelta Merge(KpiDelta first, KpiDelta second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var merged = new KpiDelta
        {
            Events = first.Events + second.Events,
            DeadLetters = first.DeadLetters + second.DeadLetters,
            ErasedUserRecords = first.ErasedUserRecords + second.ErasedUserRecords,
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
            merged.Funnels.AccumulateAll(delta.Funnels);
            foreach (var (cell, change) in delta.Cohorts)
            {
                merged.Cohorts[cell] = merged.Cohorts.GetValueOrDefault(cell) + change;
            }
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

    private sealed class Stripe
    {
        public Lock Gate { get; } = new();

        public KpiDelta Pending { get; set; } = new();

        // Plain counters: the delta record is immutable in its counts, and copying it per event would allocate.
        public long Events { get; set; }

        public long DeadLetters { get; set; }

        public long ErasedUserRecords { get; set; }

        public KpiDelta Take()
        {
            lock (Gate)
            {
                var taken = Pending with { Events = Events, DeadLetters = DeadLetters, ErasedUserRecords = ErasedUserRecords };
                Pending = new KpiDelta();
                Events = 0;
                DeadLetters = 0;
                ErasedUserRecords = 0;
                return taken;
            }
        }
    }
}
