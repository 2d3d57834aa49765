using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Lake;

namespace DataPlatform.Benchmarks;

/// <summary>
/// The gold rows the grid would publish for a stream of app events, figured directly from the events for the
/// query benchmark: hourly <c>gold.event_metrics</c> and daily <c>gold.daily_summary</c> (users, new users,
/// sessions and events; no change feed here, so no orders). Events arrive in event-time order.
/// </summary>
public sealed class GoldFromEvents
{
    private readonly Dictionary<(DateOnly Date, int Hour, string EventType, string AppType), HourCell> _hours = [];
    private readonly Dictionary<DateOnly, DayCell> _days = [];
    private readonly HashSet<string> _usersSeen = new(StringComparer.Ordinal);

    public void Add(AppEvent appEvent)
    {
        ArgumentNullException.ThrowIfNull(appEvent);
        var at = appEvent.Timestamp.UtcDateTime;
        var date = DateOnly.FromDateTime(at);
        var hour = _hours.TryGetValue((date, at.Hour, appEvent.EventType, appEvent.AppType), out var cell)
            ? cell
            : _hours[(date, at.Hour, appEvent.EventType, appEvent.AppType)] = new HourCell();
        hour.Add(appEvent);
        var day = _days.TryGetValue(date, out var dayCell) ? dayCell : _days[date] = new DayCell();
        day.Add(appEvent, isNew: _usersSeen.Add(appEvent.UserId));
    }

    public List<object?[]> EventMetricRows() =>
    [
        .. _hours.Select(hour => GoldRows.Of(new EventMetric
        {
            WindowStart = new DateTimeOffset(hour.Key.Date.ToDateTime(new TimeOnly(hour.Key.Hour, 0)), TimeSpan.Zero),
            EventType = hour.Key.EventType,
            AppType = hour.Key.AppType,
            TotalEvents = hour.Value.Events,
            UniqueUsers = hour.Value.Users.Count,
            ValueMin = hour.Value.Values > 0 ? hour.Value.Min : null,
            ValueMax = hour.Value.Values > 0 ? hour.Value.Max : null,
            ValueAvg = hour.Value.Values > 0 ? hour.Value.Sum / hour.Value.Values : null,
            ValueSum = hour.Value.Sum,
        }).Row),
    ];

    public List<object?[]> DailySummaryRows() =>
    [
        .. _days.Select(day => GoldRows.Of(new DailySummary
        {
            Date = day.Key,
            TotalUsers = day.Value.Users.Count,
            NewUsers = day.Value.NewUsers,
            ReturningUsersPct = Math.Round(100.0 * (day.Value.Users.Count - day.Value.NewUsers) / day.Value.Users.Count, 1),
            Sessions = day.Value.Sessions.Count,
            TotalEvents = day.Value.Events,
            Orders = 0,
            Revenue = 0,
        }).Row),
    ];

    private sealed class HourCell
    {
        public long Events { get; private set; }
        public HashSet<string> Users { get; } = new(StringComparer.Ordinal);
        public long Values { get; private set; }
        public double Min { get; private set; } = double.MaxValue;
        public double Max { get; private set; } = double.MinValue;
        public double Sum { get; private set; }

        public void Add(AppEvent appEvent)
        {
            Events++;
            Users.Add(appEvent.UserId);
            if (appEvent.Value is { } value)
            {
                Values++;
                Min = Math.Min(Min, value);
                Max = Math.Max(Max, value);
                Sum += value;
            }
        }
    }

    private sealed class DayCell
    {
        public long Events { get; private set; }
        public long NewUsers { get; private set; }
        public HashSet<string> Users { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);

        public void Add(AppEvent appEvent, bool isNew)
        {
            Events++;
            NewUsers += isNew ? 1 : 0;
            Users.Add(appEvent.UserId);
            if (appEvent.SessionId is { } session)
            {
                Sessions.Add(session);
            }
        }
    }
}
