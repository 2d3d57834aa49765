using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Sessions;

/// <summary>
/// The events of one session in event-time order. Events may arrive out of order; entry and exit page
/// and the path follow event time, not arrival.
/// </summary>
[GenerateSerializer, Alias("dp.SessionAggregate")]
public sealed class SessionAggregate
{
    /// <summary>The path keeps the first page views of a session, by event time, up to this many.</summary>
    public const int MaxPathLength = 100;

    [Id(0)] public string? UserId { get; private set; }
    [Id(1)] public DateTimeOffset? StartedAt { get; private set; }
    [Id(2)] public DateTimeOffset? LastActivity { get; private set; }
    [Id(3)] public int Events { get; private set; }
    [Id(4)] public int PageViews { get; private set; }
    [Id(5)] public int Clicks { get; private set; }
    [Id(6)] public bool Converted { get; private set; }
    [Id(7)] private readonly List<PageVisit> _path = [];
    [Id(8)] private PageVisit? _entry;
    [Id(9)] private PageVisit? _exit;
    [Id(10)] private readonly RecentEventIds _recentEventIds = new();
    [Id(11)] public bool Closed { get; private set; }

    /// <summary>The funnel steps the session has events of, one bit each (<see cref="FunnelStep"/>).</summary>
    [Id(12)] private int _funnelSteps;

    /// <summary>The ordinal-first app type of the session's events, so it does not depend on their order.</summary>
    [Id(13)] public string? AppType { get; private set; }

    /// <summary>
    /// How far down the purchase funnel the session went (0 to 4): the steps page view, add_to_cart, checkout and
    /// purchase, each reached when the session has an event of it and reached the one before.
    /// </summary>
    public int FunnelStep
    {
        get
        {
            var step = 0;
            while (step < 4 && (_funnelSteps & (1 << step)) != 0)
            {
                step++;
            }
            return step;
        }
    }

    public bool IsKnown => StartedAt is not null;

    /// <summary>One page view (or screen view) with a page: what the path is made of.</summary>
    [GenerateSerializer, Immutable, Alias("dp.PageVisit")]
    public sealed record PageVisit([property: Id(0)] DateTimeOffset At, [property: Id(1)] string Page);

    /// <summary>Applies one activity; returns false (and changes nothing) for an event id seen recently.</summary>
    public bool Apply(UserActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        if (!_recentEventIds.Add(activity.EventId))
        {
            return false;
        }
        UserId ??= activity.UserId;
        if (StartedAt is null || activity.Timestamp < StartedAt)
        {
            StartedAt = activity.Timestamp;
        }
        if (LastActivity is null || activity.Timestamp > LastActivity)
        {
            LastActivity = activity.Timestamp;
        }
        Events++;
        _funnelSteps |= FunnelBitOf(activity.EventType);
        if (activity.AppType is { } appType && (AppType is null || string.CompareOrdinal(appType, AppType) < 0))
        {
            AppType = appType;
        }
        if (EventTypes.IsClick(activity.EventType))
        {
            Clicks++;
        }
        if (activity.EventType == EventTypes.Purchase)
        {
            Converted = true;
        }
        if (EventTypes.IsPageView(activity.EventType))
        {
            PageViews++;
            if (activity.PageUrl is { } page)
            {
                AddPageVisit(new PageVisit(activity.Timestamp, page));
            }
        }
        return true;
    }

    public SessionSnapshot ToSnapshot(string sessionId)
    {
        if (StartedAt is not { } startedAt || LastActivity is not { } lastActivity)
        {
            throw new InvalidOperationException("A session with no events has no snapshot.");
        }
        return new SessionSnapshot
        {
            SessionId = sessionId,
            UserId = UserId!,
            StartedAt = startedAt,
            LastActivity = lastActivity,
            DurationS = (lastActivity - startedAt).TotalSeconds,
            Events = Events,
            PageViews = PageViews,
            Clicks = Clicks,
            IsBounce = PageViews == 1 && Events == 1,
            Converted = Converted,
            EntryPage = _entry?.Page,
            ExitPage = _exit?.Page,
            Path = [.. _path.Select(visit => visit.Page)],
            Closed = Closed,
            FunnelStep = FunnelStep,
            AppType = AppType,
        };
    }

    private static int FunnelBitOf(string eventType) => eventType switch
    {
        _ when EventTypes.IsPageView(eventType) => 1,
        EventTypes.AddToCart => 2,
        EventTypes.Checkout => 4,
        EventTypes.Purchase => 8,
        _ => 0,
    };

    /// <summary>True when the session is open and the watermark is past its last activity by the timeout.</summary>
    public bool IsIdle(DateTimeOffset watermark, TimeSpan timeout) =>
        !Closed && LastActivity is { } last && watermark - last > timeout;

    /// <summary>Closes the session; what it contributes to the closed-session figures is its snapshot.</summary>
    public void Close() => Closed = true;

    /// <summary>A closed session that received an event is open again (until it is idle once more).</summary>
    public void Reopen() => Closed = false;

    private void AddPageVisit(PageVisit visit)
    {
        if (_entry is null || visit.At < _entry.At)
        {
            _entry = visit;
        }
        if (_exit is null || visit.At >= _exit.At)
        {
            _exit = visit;
        }
        // Insert after every visit at or before this time, so equal times keep arrival order.
        var index = _path.FindLastIndex(existing => existing.At <= visit.At) + 1;
        if (index < MaxPathLength)
        {
            _path.Insert(index, visit);
            if (_path.Count > MaxPathLength)
            {
                _path.RemoveAt(_path.Count - 1);
            }
        }
    }
}
