using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Users;

/// <summary>
/// The windows a user has already been counted in. Because every event of a user passes through that
/// user's grain, "first in this window" decided here makes distinct-user counts exact when silos add
/// up their counts. Windows more than <see cref="Horizon"/> older than the user's latest are forgotten
/// (they are closed by then: anything that old is a late event).
/// </summary>
[GenerateSerializer, Alias("dp.UserWindows")]
public sealed class UserWindows
{
    public static readonly TimeSpan Horizon = TimeSpan.FromHours(3);
    private const int PruneThreshold = 512;

    [Id(0)] private readonly Dictionary<string, long> _counted = new(StringComparer.Ordinal);
    [Id(1)] private long _latestStart = long.MinValue;

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
        var membership = new WindowMembership(
            FirstInMinuteCell: _counted.TryAdd($"m|{minute}|{activity.EventType}|{appType}", minute),
            FirstInHourCell: _counted.TryAdd($"h|{hour}|{activity.EventType}|{appType}", hour),
            FirstInMinute: _counted.TryAdd($"u|{minute}", minute),
            FirstInDay: _days.Add(day));
        _latestStart = Math.Max(_latestStart, minute);
        if (_counted.Count > PruneThreshold)
        {
            var keepFrom = _latestStart - (long)Horizon.TotalSeconds;
            foreach (var (key, start) in _counted)
            {
                if (start < keepFrom)
                {
                    _counted.Remove(key);
                }
            }
        }
        return membership;
    }
}
