using DataPlatform.Analytics.Segments;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Features;

/// <summary>What a user did on one UTC date, as the daily feature snapshots need it.</summary>
[GenerateSerializer, Alias("dp.FeatureDay")]
public sealed class FeatureDay
{
    /// <summary>Events of the date by event type.</summary>
    [Id(0)] private readonly Dictionary<string, long> _byType = new(StringComparer.Ordinal);

    /// <summary>Events of the date's last hour (23:00 to midnight) by event type.</summary>
    [Id(1)] private readonly Dictionary<string, long> _lastHourByType = new(StringComparer.Ordinal);

    /// <summary>Sessions with an event on the date.</summary>
    [Id(2)] private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);

    /// <summary>Sessions with an event in the date's last hour.</summary>
    [Id(3)] private readonly HashSet<string> _lastHourSessions = new(StringComparer.Ordinal);

    /// <summary>The date's figures as the segment rules read them.</summary>
    [Id(4)] private readonly DayActivity _activity = new();

    /// <summary>The latest event time of the date.</summary>
    [Id(5)] public DateTimeOffset LastAt { get; private set; }

    public IReadOnlyDictionary<string, long> ByType => _byType;

    public IReadOnlyDictionary<string, long> LastHourByType => _lastHourByType;

    public IReadOnlySet<string> Sessions => _sessions;

    public IReadOnlySet<string> LastHourSessions => _lastHourSessions;

    public DayActivity Activity => _activity;

    public void Add(UserActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var lastHour = activity.Timestamp.UtcDateTime.Hour == 23;
        _byType[activity.EventType] = _byType.GetValueOrDefault(activity.EventType) + 1;
        if (lastHour)
        {
            _lastHourByType[activity.EventType] = _lastHourByType.GetValueOrDefault(activity.EventType) + 1;
        }
        if (activity.SessionId is { } session)
        {
            _sessions.Add(session);
            if (lastHour)
            {
                _lastHourSessions.Add(session);
            }
            _activity.SessionEvents++;
        }
        _activity.Events++;
        if (activity.EventType == EventTypes.Purchase)
        {
            _activity.Purchases++;
            _activity.PurchaseValue += (decimal)(activity.Value ?? 0);
        }
        if (activity.Timestamp > LastAt)
        {
            LastAt = activity.Timestamp;
        }
    }
}
