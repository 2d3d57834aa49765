using DataPlatform.Analytics.Features;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Segments;
using DataPlatform.Analytics.Validation;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Users;

/// <summary>Everything a user grain knows about its user; the rules of what counts live here.</summary>
[GenerateSerializer, Alias("dp.UserAggregate")]
public sealed class UserAggregate
{
    [Id(0)] public DateTimeOffset? FirstSeen { get; private set; }
    [Id(1)] public DateTimeOffset? LastSeen { get; private set; }
    [Id(2)] public long TotalEvents { get; private set; }
    [Id(3)] private readonly Dictionary<string, long> _eventsByType = new(StringComparer.Ordinal);
    [Id(4)] private readonly HashSet<string> _sessionIds = new(StringComparer.Ordinal);
    [Id(5)] public long Purchases { get; private set; }
    /// <summary>The value of the user's purchase events plus the totals of their orders that count.</summary>
    public decimal TotalRevenue => PurchaseValue + _orders.Values.Sum(order => order.TotalAmount);
    [Id(7)] private readonly SortedSet<string> _appTypes = new(StringComparer.Ordinal);
    [Id(8)] private readonly SortedSet<string> _devices = new(StringComparer.Ordinal);
    [Id(9)] private readonly RecentEventIds _recentEventIds = new();
    [Id(10)] private readonly UserWindows _windows = new();
    [Id(11)] private readonly Dictionary<string, OrderState> _orders = new(StringComparer.Ordinal);
    [Id(12)] public decimal PurchaseValue { get; private set; }
    [Id(13)] public string? Country { get; private set; }
    [Id(14)] public DateTimeOffset? ProfileUpdatedAt { get; private set; }
    [Id(15)] private readonly Dictionary<DateOnly, DayActivity> _days = [];
    [Id(16)] public SegmentEvaluation? Evaluation { get; private set; }

    /// <summary>Every order of the user ever applied, counting or not: what an erasure of the user erases too.</summary>
    [Id(18)] private readonly HashSet<string> _orderIds = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> OrderIds => [.. _orderIds.Union(_orders.Keys, StringComparer.Ordinal)];

    /// <summary>The weeks (their Monday, UTC) the user had events in, whatever their age.</summary>
    [Id(19)] private readonly SortedSet<DateOnly> _activeWeeks = [];

    /// <summary>The cohort cells the user is counted in by the KPIs (their first week and each active week).</summary>
    [Id(20)] private readonly HashSet<CohortKey> _countedCohortCells = [];

    /// <summary>
    /// Moves the user's cohort contribution to what it is now: one for their first week's cohort in each week they
    /// were active. An event in a new week adds a cell; an event before the first week moves every cell to the new
    /// cohort. Answers the changes (+1 or −1 per cell) for the KPIs.
    /// </summary>
    public IReadOnlyList<(CohortKey Cell, int Change)> TakeCohortChanges()
    {
        if (_activeWeeks.Count == 0)
        {
            return [];
        }
        var cohort = _activeWeeks.Min;
        var now = _activeWeeks.Select(week => new CohortKey(cohort, CohortKey.WeeksBetween(cohort, week))).ToHashSet();
        if (now.SetEquals(_countedCohortCells))
        {
            return [];
        }
        List<(CohortKey, int)> changes = [.. _countedCohortCells.Except(now).Select(cell => (cell, -1)), .. now.Except(_countedCohortCells).Select(cell => (cell, 1))];
        _countedCohortCells.Clear();
        _countedCohortCells.UnionWith(now);
        return changes;
    }

    /// <summary>The user's segment on each UTC date from its first event's date to the last date evaluated (gold.dim_customers).</summary>
    [Id(25)] private readonly SortedDictionary<DateOnly, string> _segmentsByDate = [];

    /// <summary>The earliest date whose segment new events or orders may have changed since it was evaluated.</summary>
    [Id(26)] private DateOnly? _segmentsStaleFrom;

    /// <summary>The dates the user's segment became each value: its first evaluated date, then each date it changed.</summary>
    public Dictionary<DateOnly, string> SegmentChanges()
    {
        var changes = new Dictionary<DateOnly, string>();
        string? previous = null;
        foreach (var (date, segment) in _segmentsByDate)
        {
            if (segment != previous)
            {
                changes[date] = segment;
                previous = segment;
            }
        }
        return changes;
    }

    /// <summary>The dates the segment changed on are not the ones the customer's dimension was last told.</summary>
    [Id(27)] public bool SegmentChangesPending { get; private set; }

    public void MarkSegmentChangesSent() => SegmentChangesPending = false;

    /// <summary>
    /// Evaluates the segment of each date up to <paramref name="today"/> that is not evaluated yet or that new events
    /// or orders may have changed, each as of its own date: with the events and orders up to that date only. When the
    /// dates the segment changed on (<see cref="SegmentChanges"/>) are not what they were, they are pending.
    /// </summary>
    public void EvaluateSegmentDates(DateOnly today, SegmentRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (FirstSeen is not { } firstSeen)
        {
            return;
        }
        var firstDate = DateOnly.FromDateTime(firstSeen.UtcDateTime);
        var from = _segmentsByDate.Count == 0 ? firstDate : _segmentsByDate.Keys.Max().AddDays(1);
        if (_segmentsStaleFrom is { } stale && stale < from)
        {
            from = stale;
        }
        from = from < firstDate ? firstDate : from;
        List<(DateOnly Date, decimal Amount)> orders = [.. CountedOrders];
        for (var date = from; date <= today; date = date.AddDays(1))
        {
            var lastActive = _days.Keys.Where(day => day <= date).DefaultIfEmpty(firstDate).Max();
            var lastSeen = new DateTimeOffset(lastActive.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var segment = Segmentation.Evaluate(lastSeen, _days, orders, midnight, rules).Segment;
            // The dates the segment changed on move when a known date's segment changes, or a new date's differs from the day before.
            var changed = _segmentsByDate.TryGetValue(date, out var known)
                ? known != segment
                : segment != _segmentsByDate.GetValueOrDefault(date.AddDays(-1));
            SegmentChangesPending |= changed;
            _segmentsByDate[date] = segment;
        }
        _segmentsStaleFrom = null;
    }

    private void SegmentsStaleFrom(DateOnly date)
    {
        if (_segmentsStaleFrom is null || date < _segmentsStaleFrom)
        {
            _segmentsStaleFrom = date;
        }
    }

    /// <summary>Daily activity is kept this long (the longest rule looks back 90 days).</summary>
    public const int DaysKept = 100;

    public bool IsKnown => FirstSeen is not null;

    /// <summary>Nothing was ever applied: no event, profile or order.</summary>
    public bool IsEmpty => FirstSeen is null && ProfileUpdatedAt is null && _orders.Count == 0;

    public IReadOnlyDictionary<string, long> EventsByType => _eventsByType;

    public IReadOnlyCollection<string> SessionIds => _sessionIds;

    /// <summary>True when the event id is inside the de-duplication window (it was applied before).</summary>
    public bool HasApplied(string eventId) => _recentEventIds.Contains(eventId);

    /// <summary>
    /// Why an activity cannot be applied (a value outside <see cref="EdgeLimits.MaxEventValue"/>), or null.
    /// The edge refuses such records; this guards grains against producers that bypass it, before any
    /// figure of a batch changes.
    /// </summary>
    public static string? RejectionOf(UserActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        return activity.Value is { } value && !EdgeLimits.IsEventValue(value) ? DeadLetterReason.OutOfRange("value") : null;
    }

    /// <summary>Remembers a refused event id like an applied one, so a redelivery is not refused (and dead-lettered) again.</summary>
    public void MarkRejected(string eventId) => _recentEventIds.Add(eventId);

    /// <summary>Applies one activity; returns false (and changes nothing) for an event id seen recently.</summary>
    public bool Apply(UserActivity activity) => TryApply(activity, out _);

    /// <summary>
    /// Applies one activity and tells which windows it is the user's first event in; returns false (and
    /// changes nothing) for an event id seen recently.
    /// </summary>
    public bool TryApply(UserActivity activity, out WindowMembership windows)
    {
        ArgumentNullException.ThrowIfNull(activity);
        windows = default;
        if (RejectionOf(activity) is { } reason)
        {
            throw new ArgumentOutOfRangeException(nameof(activity), activity.Value, $"Event {activity.EventId} cannot be applied: {reason}.");
        }
        if (!_recentEventIds.Add(activity.EventId))
        {
            return false;
        }
        windows = _windows.Enter(activity);
        var eventDate = DateOnly.FromDateTime(activity.Timestamp.UtcDateTime);
        DateOnly? firstSeenDate = FirstSeen is { } known ? DateOnly.FromDateTime(known.UtcDateTime) : null;
        if (firstSeenDate is null || eventDate < firstSeenDate)
        {
            windows = windows with { FirstSeenMoved = new FirstSeenChange(firstSeenDate, eventDate) };
        }

        if (FirstSeen is null || activity.Timestamp < FirstSeen)
        {
            FirstSeen = activity.Timestamp;
        }
        if (LastSeen is null || activity.Timestamp > LastSeen)
        {
            LastSeen = activity.Timestamp;
        }
        TotalEvents++;
        SegmentsStaleFrom(eventDate);
        _features.Record(activity);
        _activeWeeks.Add(CohortKey.WeekOf(activity.Timestamp));
        _eventsByType[activity.EventType] = _eventsByType.GetValueOrDefault(activity.EventType) + 1;
        var day = Day(DateOnly.FromDateTime(activity.Timestamp.UtcDateTime));
        day.Events++;
        if (activity.SessionId is not null)
        {
            day.SessionEvents++;
        }
        if (activity.EventType == EventTypes.Purchase)
        {
            day.Purchases++;
            day.PurchaseValue += (decimal)(activity.Value ?? 0);
        }
        if (activity.SessionId is { } sessionId)
        {
            _sessionIds.Add(sessionId);
        }
        if (activity.EventType == EventTypes.Purchase)
        {
            Purchases++;
            PurchaseValue += (decimal)(activity.Value ?? 0);
        }
        if (activity.AppType is { } appType)
        {
            _appTypes.Add(appType);
        }
        if (activity.Device is { } device)
        {
            _devices.Add(device);
        }
        return true;
    }

    /// <summary>Forgets the windows that closed before this time (watermark minus allowed lateness).</summary>
    public void ForgetClosedWindows(DateTimeOffset closedBefore) => _windows.ForgetClosedBefore(closedBefore);

    /// <summary>Takes the country of the latest profile update (by its timestamp); other PII stays out of the profile.</summary>
    public void ApplyProfile(UserProfileEvent profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (ProfileUpdatedAt is { } known && profile.Timestamp < known)
        {
            return;
        }
        ProfileUpdatedAt = profile.Timestamp;
        Country = profile.Country ?? Country;
    }

    /// <summary>Counts an order's total as revenue while it counts (exists, not cancelled); idempotent.</summary>
    public void ApplyOrder(OrderState order)
    {
        ArgumentNullException.ThrowIfNull(order);
        _orderIds.Add(order.OrderId);
        // The dates a counted order's revenue looks back from: its date before the change and after it.
        DateOnly[] changed = _orders.TryGetValue(order.OrderId, out var counted)
            ? [DateOnly.FromDateTime(counted.OrderDate.UtcDateTime), DateOnly.FromDateTime(order.OrderDate.UtcDateTime)]
            : [DateOnly.FromDateTime(order.OrderDate.UtcDateTime)];
        foreach (var date in changed)
        {
            SegmentsStaleFrom(date);
            _features.RecordOrderChange(date);
        }
        if (order.Counts)
        {
            _orders[order.OrderId] = order;
        }
        else
        {
            _orders.Remove(order.OrderId);
        }
    }

    /// <summary>
    /// Evaluates segment, churn risk and engagement as of the watermark. Returns true when the segment
    /// figures (segment, score, revenue) changed, so the caller moves the user's contribution.
    /// </summary>
    public bool Reevaluate(DateTimeOffset watermark, SegmentRules rules, out SegmentEvaluation? previous)
    {
        previous = Evaluation;
        if (LastSeen is not { } lastSeen)
        {
            return false;
        }
        var oldest = DateOnly.FromDateTime(watermark.UtcDateTime).AddDays(-DaysKept);
        foreach (var stale in _days.Keys.Where(date => date < oldest).ToList())
        {
            _days.Remove(stale);
        }
        var current = Segmentation.Evaluate(lastSeen, _days, CountedOrders, watermark, rules);
        Evaluation = current;
        return previous is null || previous.Segment != current.Segment
            || previous.EngagementScore != current.EngagementScore || EvaluatedRevenue != TotalRevenue;
    }

    /// <summary>The revenue a user contributes to its segment: its total revenue when last evaluated.</summary>
    [Id(17)] public decimal EvaluatedRevenue { get; private set; }

    /// <summary>Marks the current total revenue as counted in the segment figures.</summary>
    public void MarkSegmentCounted() => EvaluatedRevenue = TotalRevenue;

    /// <summary>What the user's machine-learning features are computed from (live and daily snapshots).</summary>
    [Id(21)] private readonly UserFeatureHistory _features = new();

    /// <summary>The live features as of the watermark (or the last event, if later); null for an unknown user.</summary>
    public UserFeatures? Features(string userId, DateTimeOffset watermark, SegmentRules rules) =>
        LastSeen is { } lastSeen ? _features.Live(userId, lastSeen, watermark, CountedOrders, rules) : null;

    /// <summary>The daily feature snapshots that changed since they were last taken (see <see cref="UserFeatureHistory"/>).</summary>
    public IReadOnlyList<UserFeatures> TakeFeatureSnapshots(string userId, DateTimeOffset watermark, SegmentRules rules) =>
        _features.TakeChangedSnapshots(userId, watermark, CountedOrders, rules);

    /// <summary>The orders that count, by the UTC date of their order date.</summary>
    private IEnumerable<(DateOnly Date, decimal Amount)> CountedOrders =>
        _orders.Values.Select(order => (DateOnly.FromDateTime(order.OrderDate.UtcDateTime), order.TotalAmount));

    private DayActivity Day(DateOnly date)
    {
        if (!_days.TryGetValue(date, out var day))
        {
            day = new DayActivity();
            _days[date] = day;
        }
        return day;
    }

    public UserProfile ToProfile(string userId)
    {
        if (FirstSeen is not { } firstSeen || LastSeen is not { } lastSeen)
        {
            throw new InvalidOperationException("A user with no events has no profile.");
        }
        return new UserProfile
        {
            UserId = userId,
            FirstSeen = firstSeen,
            LastSeen = lastSeen,
            TotalEvents = TotalEvents,
            EventsByType = new Dictionary<string, long>(_eventsByType, StringComparer.Ordinal),
            Sessions = _sessionIds.Count,
            Purchases = Purchases,
            TotalRevenue = TotalRevenue,
            AppTypes = [.. _appTypes],
            Devices = [.. _devices],
            Country = Country,
            EngagementScore = Evaluation?.EngagementScore ?? 0,
            Segment = Evaluation?.Segment,
            ChurnRisk = Evaluation?.ChurnRisk,
            RecommendedAction = Evaluation?.RecommendedAction,
        };
    }
}
