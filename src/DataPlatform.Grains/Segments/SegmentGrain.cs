using DataPlatform.Grains.Checkpoints;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Grains.Segments;

/// <summary>One segment's members, average engagement and revenue, fed by each silo's batched transitions.</summary>
public sealed class SegmentGrain([PersistentState("segment", CheckpointedGrainStorage.Name)] IPersistentState<SegmentStats> state) : Grain, ISegmentGrain
{
    public Task ApplyAsync(SegmentStats change)
    {
        state.State = state.State.Plus(change);
        return Task.CompletedTask;
    }

    public Task<SegmentSummary> GetSummaryAsync() => Task.FromResult(new SegmentSummary
    {
        Segment = this.GetPrimaryKeyString(),
        Users = state.State.Users,
        AvgEngagement = state.State.Users > 0 ? Math.Round(state.State.EngagementSum / state.State.Users, 1) : null,
        TotalRevenue = state.State.Revenue,
    });

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }
}
