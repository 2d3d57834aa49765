using System.Collections.Concurrent;

namespace DataPlatform.Grains.Scheduling;

/// <summary>
/// Grains that must be visited once the event-time watermark passes a given instant (a session's idle
/// deadline, a user's next segment review), one schedule per purpose. Grains of this silo record their
/// changes here without waiting; each checkpoint hands them to the schedule's shard grains
/// (<see cref="ScheduleShardGrain"/>), which keep them as checkpointed state and make the visits, so a
/// schedule survives the silo that made it.
/// </summary>
public abstract class EventTimeSchedule(string purpose)
{
    // Changes in the order grains made them: a queue takes them without a lock (every delivery of every
    // user schedules its next review), and the checkpoint keeps the last change of each key.
    private readonly ConcurrentQueue<ScheduleChange> _pending = new();

    /// <summary>The purpose, which names the shard grains ("sessions", "reviews").</summary>
    public string Purpose => purpose;

    /// <summary>Visit <paramref name="key"/> once the watermark is past <paramref name="dueAt"/> (replaces an earlier time).</summary>
    public void Schedule(string key, DateTimeOffset dueAt) => _pending.Enqueue(new ScheduleChange(key, dueAt));

    public void Forget(string key) => _pending.Enqueue(new ScheduleChange(key, null));

    /// <summary>Takes the changes made since the last call, the last one of each key, grouped by shard.</summary>
    public IReadOnlyDictionary<int, List<ScheduleChange>> TakePending()
    {
        var last = new Dictionary<string, DateTimeOffset?>(StringComparer.Ordinal);
        while (_pending.TryDequeue(out var change))
        {
            last[change.Key] = change.DueAt;
        }
        var byShard = new Dictionary<int, List<ScheduleChange>>();
        foreach (var (key, dueAt) in last)
        {
            var shard = ScheduleShards.Of(key);
            if (!byShard.TryGetValue(shard, out var changes))
            {
                changes = [];
                byShard[shard] = changes;
            }
            changes.Add(new ScheduleChange(key, dueAt));
        }
        return byShard;
    }

    /// <summary>Drops the changes waiting (a roll-back: the grains that made them are the checkpoint's again).</summary>
    public void DiscardPending() => _pending.Clear();
}
