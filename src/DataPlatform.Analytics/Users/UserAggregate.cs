using DataPlatform.Analytics.Kpis;
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
    [Id(6)] public decimal TotalRevenue { get; private set; }
    [Id(7)] private readonly SortedSet<string> _appTypes = new(StringComparer.Ordinal);
    [Id(8)] private readonly SortedSet<string> _devices = new(StringComparer.Ordinal);
    [Id(9)] private readonly RecentEventIds _recentEventIds = new();
    [Id(10)] private readonly UserWindows _windows = new();

    public bool IsKnown => FirstSeen is not null;

    public IReadOnlyDictionary<string, long> EventsByType => _eventsByType;

    /// <summary>True when the event id is inside the de-duplication window (it was applied before).</summary>
    public bool HasApplied(string eventId) => _recentEventIds.Contains(eventId);

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
        if (!_recentEventIds.Add(activity.EventId))
        {
            return false;
        }
        windows = _windows.Enter(activity);

        if (FirstSeen is null || activity.Timestamp < FirstSeen)
        {
            FirstSeen = activity.Timestamp;
        }
        if (LastSeen is null || activity.Timestamp > LastSeen)
        {
            LastSeen = activity.Timestamp;
        }
        TotalEvents++;
        _eventsByType[activity.EventType] = _eventsByType.GetValueOrDefault(activity.EventType) + 1;
        if (activity.SessionId is { } sessionId)
        {
            _sessionIds.Add(sessionId);
        }
        if (activity.EventType == EventTypes.Purchase)
        {
            Purchases++;
            TotalRevenue += (decimal)(activity.Value ?? 0);
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
        };
    }
}
