using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Users;

/// <summary>
/// The windows a user has already been counted in. Because every event of a user passes through that
/// user's grain, "first in this window" decided here makes distinct-user counts exact when silos add
/// up their counts. Only closed windows are forgotten (<see cref="ForgetClosedBefore"/>): the KPI grain
/// merges nothing more into them, so forgetting them can never count a user twice, whatever order a
/// user's streams arrive in.
/// </summary>
[GenerateSerializer, Alias("dp.UserWindows")]
public sealed class UserWindows
{
    /// <summary>Windows are forgotten only when more than this many are remembered.</summary>
    public const int ForgetThreshold = 512;

    [Id(0)] private readonly Dictionary<string, long> _counted = new(StringComparer.Ordinal);

    // Dates are few (one per active day) and needed for the whole retention: kept apart from the windows.
    [Id(2)] private readonly HashSet<DateOnly> _days = [];

    public int Count => _counted.Count;

    /// <summary>Records the event's windows and tells which of them it is the user's first in.</summary>
    public WindowMembership Enter(UserActivity activity)
    {
        ArgumentNullException.ThrowIfNull(activity);
        var minute = TumblingWindows.MinuteOf(activity.Timestamp);
        var hour = TumblingWindows.HourOf(activity.Timestamp);
        var appType = activity.AppType ?? KpiBoard.UnknownAppType;
        var day = DateOnly.FromDateTime(activity.Timestamp.UtcDateTime);
        // The value is the window's end (Unix seconds): what decides when it may be forgotten.
        return new WindowMembership(
            FirstInMinuteCell: _counted.TryAdd($"m|{minute}|{activity.EventType}|{appType}", minute + TumblingWindows.MinuteSeconds),
            FirstInHourCell: _counted.TryAdd($"h|{hour}|{activity.EventType}|{appType}", hour + TumblingWindows.HourSeconds),
            FirstInMinute: _counted.TryAdd($"u|{minute}", minute + TumblingWindows.MinuteSeconds),
            FirstInDay: _days.Add(day));
    }

    /// <summary>
    /// Forgets windows that ended before <paramref name="closedBefore"/> (the watermark minus the
    /// allowed lateness), once more than <see cref="ForgetThreshold"/> are remembered.
    /// </summary>
    public void ForgetClosedBefore(DateTimeOffset closedBefore)
    {
        if (_counted.Count <= ForgetThreshold)
        {
            return;
        }
        var limit = closedBefore.ToUnixTimeSeconds();
        foreach (var (key, end) in _counted)
        {
            if (end < limit)
            {
                _counted.Remove(key);
            }
        }
    }
}
