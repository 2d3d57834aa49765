using System.Collections.Concurrent;

namespace DataPlatform.Grains.Users;

/// <summary>
/// When each user known to this silo must be evaluated again without new events (its segment can
/// change when a UTC day ends). Kept after a grain is collected, so idle users still turn Inactive.
/// </summary>
public sealed class SegmentReviews
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);

    public int Count => _due.Count;

    public void Schedule(string userId, DateTimeOffset at) => _due[userId] = at;

    public IReadOnlyList<string> DueAt(DateTimeOffset watermark) =>
        [.. _due.Where(pair => pair.Value <= watermark).Select(pair => pair.Key)];
}
