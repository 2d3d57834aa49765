using System.Collections.Concurrent;

namespace DataPlatform.Grains.Scheduling;

/// <summary>
/// Grains of this silo that must be visited once the event-time watermark passes a given instant
/// (a session's idle deadline, a user's next segment review). One schedule per purpose.
/// </summary>
public abstract class EventTimeSchedule
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _dueAt = new(StringComparer.Ordinal);

    public int Count => _dueAt.Count;

    /// <summary>Visit <paramref name="key"/> once the watermark is past <paramref name="dueAt"/> (replaces an earlier time).</summary>
    public void Schedule(string key, DateTimeOffset dueAt) => _dueAt[key] = dueAt;

    public void Forget(string key) => _dueAt.TryRemove(key, out _);

    /// <summary>The keys whose time the watermark has passed.</summary>
    public IReadOnlyList<string> DueBefore(DateTimeOffset watermark) =>
        [.. _dueAt.Where(pair => pair.Value < watermark).Select(pair => pair.Key)];
}
