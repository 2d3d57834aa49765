using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Kpis;

/// <summary>
/// The KPI grain's logic: folds per-silo deltas into totals and event-time activity windows.
/// Activity is measured against the watermark (latest event time seen), so replaying old data gives
/// the same answers as watching it live.
/// </summary>
[GenerateSerializer, Alias("dp.KpiBoard")]
public sealed class KpiBoard
{
    [Id(0)] public long TotalEvents { get; private set; }
    [Id(1)] public long DeadLetters { get; private set; }
    [Id(2)] public DateTimeOffset? Watermark { get; private set; }
    [Id(3)] private readonly Dictionary<string, DateTimeOffset> _userLastSeen = new(StringComparer.Ordinal);
    [Id(4)] private readonly Dictionary<string, DateTimeOffset> _sessionLastSeen = new(StringComparer.Ordinal);
    [NonSerialized] private EventRateWindow? _rate;

    public void Apply(KpiDelta delta, DateTimeOffset now, KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(options);
        TotalEvents += delta.Events;
        DeadLetters += delta.DeadLetters;
        RateWindow(options).Add(now, delta.Events);
        foreach (var (user, seen) in delta.UserLastSeen)
        {
            KeepLatest(_userLastSeen, user, seen);
        }
        foreach (var (session, seen) in delta.SessionLastSeen)
        {
            KeepLatest(_sessionLastSeen, session, seen);
        }
        Prune(options);
    }

    public KpiSnapshot Snapshot(DateTimeOffset now, KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new KpiSnapshot
        {
            At = now,
            EventsPerSecond = RateWindow(options).PerSecond(now),
            TotalEvents = TotalEvents,
            ActiveUsers = CountSince(_userLastSeen, options.ActiveUserWindow),
            ActiveSessions = CountSince(_sessionLastSeen, options.ActiveSessionWindow),
            DeadLetters = DeadLetters,
            Watermark = Watermark,
        };
    }

    private EventRateWindow RateWindow(KpiOptions options) => _rate ??= new EventRateWindow(options.RateWindowSeconds);

    private void KeepLatest(Dictionary<string, DateTimeOffset> lastSeen, string key, DateTimeOffset at)
    {
        if (!lastSeen.TryGetValue(key, out var known) || at > known)
        {
            lastSeen[key] = at;
        }
        if (Watermark is null || at > Watermark)
        {
            Watermark = at;
        }
    }

    private int CountSince(Dictionary<string, DateTimeOffset> lastSeen, TimeSpan window)
    {
        if (Watermark is not { } watermark)
        {
            return 0;
        }
        var since = watermark - window;
        return lastSeen.Values.Count(seen => seen >= since);
    }

    // Entries that fell out of their window can never count again: a later event re-adds them.
    private void Prune(KpiOptions options)
    {
        if (Watermark is not { } watermark)
        {
            return;
        }
        RemoveBefore(_userLastSeen, watermark - options.ActiveUserWindow);
        RemoveBefore(_sessionLastSeen, watermark - options.ActiveSessionWindow);
    }

    private static void RemoveBefore(Dictionary<string, DateTimeOffset> lastSeen, DateTimeOffset since)
    {
        foreach (var (key, seen) in lastSeen)
        {
            if (seen < since)
            {
                lastSeen.Remove(key);
            }
        }
    }
}
