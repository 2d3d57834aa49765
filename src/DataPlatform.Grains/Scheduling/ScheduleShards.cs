namespace DataPlatform.Grains.Scheduling;

/// <summary>How schedule keys are spread over shard grains: the same on every silo (FNV-1a of the key's UTF-16 code units).</summary>
public static class ScheduleShards
{
    public const int Count = 16;

    public static int Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = 2166136261u;
        foreach (var unit in key)
        {
            hash = (hash ^ unit) * 16777619u;
        }
        return (int)(hash % Count);
    }

    /// <summary>The key of a shard grain, e.g. <c>sessions/3</c>.</summary>
    public static string GrainKey(string purpose, int shard) => $"{purpose}/{shard}";
}
