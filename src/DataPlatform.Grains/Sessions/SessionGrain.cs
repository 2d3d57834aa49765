using DataPlatform.Analytics.Sessions;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Grains.Sessions;

/// <summary>One session's live state, fed in batches by the user grain that owns the session.</summary>
public sealed class SessionGrain(
    [PersistentState("session")] IPersistentState<SessionAggregate> state) : Grain, ISessionGrain
{
    public Task RecordAsync(IReadOnlyList<UserActivity> activities)
    {
        ArgumentNullException.ThrowIfNull(activities);
        foreach (var activity in activities)
        {
            state.State.Apply(activity);
        }
        return Task.CompletedTask;
    }

    public Task<SessionSnapshot?> GetSnapshotAsync() =>
        Task.FromResult(state.State.IsKnown ? state.State.ToSnapshot(this.GetPrimaryKeyString()) : null);

    /// <summary>
    /// Idle grains write their state when collected. At shutdown they do not: the silo's storage is
    /// going away with it (memory storage), and durable storage is kept current by checkpoints.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state.State.IsKnown && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }
}
