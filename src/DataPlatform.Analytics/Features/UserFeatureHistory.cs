using DataPlatform.Analytics.Segments;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Features;

/// <summary>
/// What a user's machine-learning features are computed from (docs/metrics.md, "Features for machine learning"):
/// the events of the last 7 days of event time, for live windows exact to the instant, and daily activity, for the
/// snapshot of each date the user had an event. Both count the events the user aggregate applied (de-duplicated by
/// event id), late and out-of-order ones included. A late event, or an order, changes the snapshots of its date and
/// of the later dates that look back at it; those are handed out by <see cref="TakeChangedSnapshots"/>.
/// </summary>
[GenerateSerializer, Alias("dp.UserFeatureHistory")]
public sealed class UserFeatureHistory
{
    /// <summary>The longest live window: older events never count again once the watermark has passed them.</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromDays(7);

    /// <summary>
    /// Snapshots are kept current for the dates of this many days before the watermark's date (and that date):
    /// the edge refuses events older than its 30-day retention, so older snapshots no longer change.
    /// </summary>
    public const int MaintainedDays = 31;

    /// <summary>The longest look-back of a snapshot figure (revenue of 90 dates).</summary>
    public const int LookBackDays = 90;

    [Id(0)] private readonly List<RecentEvent> _recent = [];
    [Id(1)] private readonly Dictionary<DateOnly, FeatureDay> _days = [];
    [Id(2)] private readonly HashSet<DateOnly> _changed = [];

    /// <summary>The latest watermark the history has moved to (<see cref="Prune"/>): no live answer is given for an earlier instant.</summary>
    [Id(3)] public DateTimeOffset? Horizon { get; private set; }

    // False after activation (or a roll-back) loads the state: the first take hands out every maintained snapshot,
    // as rows the previous activation wrote may have died with its silo's writer.
    [NonSerialized] private bool _handedOut;

    /// <summary>Records one applied (new) event.</summary>
    public void Record(UserActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var date = DateOnly.FromDateTime(activity.Timestamp.UtcDateTime);
        if (!_days.TryGetValue(date, out var day))
        {
            day = new FeatureDay();
            _days[date] = day;
        }
        day.Add(activity);
        if (Horizon is not { } horizon || activity.Timestamp > horizon - LiveWindow)
        {
            _recent.Add(new RecentEvent(activity.Timestamp, activity.EventType, activity.SessionId));
        }
        MarkChangedFrom(date);
    }

    /// <summary>An order of this date started or stopped counting (or changed its amount).</summary>
    public void RecordOrderChange(DateOnly orderDate) => MarkChangedFrom(orderDate);

    /// <summary>The snapshots a change on <paramref name="date"/> affects: its own and those of the dates that look back at it.</summary>
    private void MarkChangedFrom(DateOnly date)
    {
        foreach (var snapshot in _days.Keys)
        {
            if (snapshot >= date && snapshot < date.AddDays(LookBackDays))
            {
                _changed.Add(snapshot);
            }
        }
    }

    /// <summary>
    /// Moves the horizon to <paramref name="watermark"/> and forgets what no answer from it on can need: events older
    /// than the live window, days older than the look-back of the oldest maintained snapshot. Answers filter by time
    /// themselves, so the memory is pruned only when the watermark reaches a new date.
    /// </summary>
    public void Prune(DateTimeOffset watermark)
    {
        if (Horizon is { } horizon && watermark <= horizon)
        {
            return;
        }
        var previous = Horizon;
        Horizon = watermark;
        if (previous is { } before && before.UtcDateTime.Date == watermark.UtcDateTime.Date)
        {
            return;
        }
        var oldestEvent = watermark - LiveWindow;
        _recent.RemoveAll(recent => recent.At <= oldestEvent);
        var oldestDay = OldestMaintained(watermark).AddDays(1 - LookBackDays);
        foreach (var stale in _days.Keys.Where(date => date < oldestDay).ToList())
        {
            _days.Remove(stale);
        }
    }

    private static DateOnly OldestMaintained(DateTimeOffset watermark) => DateOnly.FromDateTime(watermark.UtcDateTime).AddDays(-MaintainedDays);

    /// <summary>
    /// The live features as of the latest of <paramref name="watermark"/>, <paramref name="lastSeen"/> and the
    /// history's horizon: windows of 1 hour, 24 hours and 7 days that end at that instant (included).
    /// </summary>
    public UserFeatures Live(string userId, DateTimeOffset lastSeen, DateTimeOffset watermark, IEnumerable<(DateOnly Date, decimal Amount)> orders, SegmentRules rules)
    {
        var asOf = watermark > lastSeen ? watermark : lastSeen;
        if (Horizon is { } horizon && horizon > asOf)
        {
            asOf = horizon;
        }
        FeatureWindow Window(TimeSpan size)
        {
            var events = _recent.Where(recent => recent.At > asOf - size && recent.At <= asOf).ToList();
            return new FeatureWindow(
                events.GroupBy(recent => recent.EventType, StringComparer.Ordinal).ToDictionary(type => type.Key, type => (long)type.Count(), StringComparer.Ordinal),
                events.Select(recent => recent.SessionId).OfType<string>().Distinct(StringComparer.Ordinal).Count());
        }
        return Compose(userId, asOf, lastSeen, Window(TimeSpan.FromHours(1)), Window(TimeSpan.FromHours(24)), Window(LiveWindow), ActivityByDate(), orders, rules);
    }

    /// <summary>
    /// The snapshot of <paramref name="date"/> as of its last instant (the tick before the next midnight, UTC): the
    /// 1-hour window is the date's last hour, the 24-hour window the date itself, the 7-day window the date and the
    /// six before it. Only events up to that instant count, and orders of dates up to it.
    /// </summary>
    public UserFeatures Snapshot(string userId, DateOnly date, IEnumerable<(DateOnly Date, decimal Amount)> orders, SegmentRules rules) =>
        Snapshot(userId, date, orders, rules, ActivityByDate());

    private UserFeatures Snapshot(string userId, DateOnly date, IEnumerable<(DateOnly Date, decimal Amount)> orders, SegmentRules rules, IReadOnlyDictionary<DateOnly, DayActivity> activity)
    {
        var day = _days.TryGetValue(date, out var known) ? known : throw new ArgumentOutOfRangeException(nameof(date), date, "The user had no event on this date.");
        var week = Enumerable.Range(0, 7).Select(back => _days.GetValueOrDefault(date.AddDays(-back))).OfType<FeatureDay>().ToList();
        var byType7d = week.SelectMany(d => d.ByType)
            .GroupBy(pair => pair.Key, StringComparer.Ordinal)
            .ToDictionary(type => type.Key, type => type.Sum(pair => pair.Value), StringComparer.Ordinal);
        var asOf = new DateTimeOffset(date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1);
        return Compose(userId, asOf, day.LastAt,
            new FeatureWindow(new Dictionary<string, long>(day.LastHourByType, StringComparer.Ordinal), day.LastHourSessions.Count),
            new FeatureWindow(new Dictionary<string, long>(day.ByType, StringComparer.Ordinal), day.Sessions.Count),
            new FeatureWindow(byType7d, week.SelectMany(d => d.Sessions).Distinct(StringComparer.Ordinal).Count()),
            activity, orders, rules);
    }

    /// <summary>
    /// Prunes at <paramref name="watermark"/> and hands out the snapshots that changed since the last take (every
    /// maintained snapshot on the first take after the state was loaded), oldest first.
    /// </summary>
    public IReadOnlyList<UserFeatures> TakeChangedSnapshots(string userId, DateTimeOffset watermark, IEnumerable<(DateOnly Date, decimal Amount)> orders, SegmentRules rules)
    {
        Prune(watermark);
        var oldest = OldestMaintained(Horizon ?? watermark);
        var dates = (_handedOut ? (IEnumerable<DateOnly>)_changed : _days.Keys).Where(date => date >= oldest && _days.ContainsKey(date)).Order().ToList();
        _handedOut = true;
        _changed.Clear();
        if (dates.Count == 0)
        {
            return [];
        }
        var orderList = orders.ToList();
        var activity = ActivityByDate();
        return [.. dates.Select(date => Snapshot(userId, date, orderList, rules, activity))];
    }

    private Dictionary<DateOnly, DayActivity> ActivityByDate() => _days.ToDictionary(day => day.Key, day => day.Value.Activity);

    private static UserFeatures Compose(string userId, DateTimeOffset asOf, DateTimeOffset lastEventAt,
        FeatureWindow hour, FeatureWindow day, FeatureWindow week,
        IReadOnlyDictionary<DateOnly, DayActivity> activity, IEnumerable<(DateOnly Date, decimal Amount)> orders, SegmentRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        // Segment rules count whole UTC dates ending with the date of as_of; dates after it are not counted.
        var evaluation = Segmentation.Evaluate(lastEventAt, activity, orders, asOf, rules);
        var today = DateOnly.FromDateTime(asOf.UtcDateTime);
        var month = activity.Where(date => date.Key > today.AddDays(-30) && date.Key <= today).ToList();
        return new UserFeatures
        {
            UserId = userId,
            AsOf = asOf,
            LastEventAt = lastEventAt,
            Events1h = hour.Events,
            Events24h = day.Events,
            Events7d = week.Events,
            EventsByType1h = hour.ByType,
            EventsByType24h = day.ByType,
            EventsByType7d = week.ByType,
            Sessions1h = hour.Sessions,
            Sessions24h = day.Sessions,
            Sessions7d = week.Sessions,
            RecencyDays = RecencyDays(asOf, lastEventAt),
            Frequency30d = month.Count(date => date.Value.Events > 0),
            Purchases30d = month.Sum(date => date.Value.Purchases),
            Monetary90d = evaluation.Revenue,
            Segment = evaluation.Segment,
            ChurnRisk = evaluation.ChurnRisk,
            EngagementScore = evaluation.EngagementScore,
        };
    }

    /// <summary>Days from the last event to as_of, rounded to 3 decimals.</summary>
    public static double RecencyDays(DateTimeOffset asOf, DateTimeOffset lastEventAt) => Math.Round((asOf - lastEventAt).TotalDays, 3);

    private sealed record FeatureWindow(IReadOnlyDictionary<string, long> ByType, long Sessions)
    {
        public long Events => ByType.Values.Sum();
    }
}
