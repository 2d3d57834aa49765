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
    private readonly ConcurrentDictionary<string, DateTimeOffset?> _pending = new(StringComparer.Ordinal);

    /// <summary>The purpose, which names the shard grains ("sessions", "reviews").</summary>
    public string Purpose => purpose;

    /// <summary>Changes waiting for the next checkpoint.</summary>
    public int Pending => _pending.Count;

    /// <summary>Visit <paramref name="key"/> once the watermark is past <paramref name="dueAt"/> (replaces an earlier time).</summary>
    public void Schedule(string key, DateTimeOffset dueAt) => _pending[key] = dueAt;

    public void Forget(string key) => _pending[key] = null;

    /// <summary>Takes the changes made since the last call, grouped by shard.</summary>
    public IReadOnlyDictionary<int, List<ScheduleChange>> TakePending()
    {
        var byShard = new Dictionary<int, List<ScheduleChange>>();
        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var dueAt))
            {
                var shard = ScheduleShards.Of(key);
                if (!byShard.TryGetValue(shard, out var changes))
                {
                    changes = [];
                    byShard[shard] = changes;
                }
                changes.Add(new ScheduleChange(key, dueAt));
            }
        }
        return byShard;
    }

    /// <summary>Drops the changes waiting (a roll-back: the grains that made them are the checkpoint's again).</summary>
    public void DiscardPending() => _pending.Clear();
}
