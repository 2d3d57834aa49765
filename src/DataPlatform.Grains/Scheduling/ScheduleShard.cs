namespace DataPlatform.Grains.Scheduling;

/// <summary>The keys of one schedule shard and when each is due.</summary>
[GenerateSerializer, Alias("dp.ScheduleShard")]
public sealed class ScheduleShard
{
    [Id(0)] public Dictionary<string, DateTimeOffset> DueAt { get; init; } = new(StringComparer.Ordinal);

    public void Apply(IEnumerable<ScheduleChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var (key, dueAt) in changes)
        {
            if (dueAt is { } due)
            {
                DueAt[key] = due;
            }
            else
            {
                DueAt.Remove(key);
            }
        }
    }

    /// <summary>The keys the watermark has passed.</summary>
    public IReadOnlyList<string> DueBefore(DateTimeOffset watermark) =>
        [.. DueAt.Where(pair => pair.Value < watermark).Select(pair => pair.Key)];
}
