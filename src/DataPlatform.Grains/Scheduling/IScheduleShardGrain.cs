namespace DataPlatform.Grains.Scheduling;

/// <summary>One shard of a schedule (key <c>purpose/n</c>).</summary>
public interface IScheduleShardGrain : IGrainWithStringKey
{
    Task ApplyAsync(IReadOnlyList<ScheduleChange> changes);

    /// <summary>How many keys wait for a visit.</summary>
    Task<int> CountAsync();
}
