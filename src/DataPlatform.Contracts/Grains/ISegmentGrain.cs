using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>One segment (key: VIP, Active, Regular, Inactive), fed by batched transitions, never per event.</summary>
[Alias("dp.ISegmentGrain")]
public interface ISegmentGrain : IGrainWithStringKey
{
    [Alias("Apply")]
    Task ApplyAsync(SegmentStats change);

    [Alias("GetSummary")]
    Task<SegmentSummary> GetSummaryAsync();
}
