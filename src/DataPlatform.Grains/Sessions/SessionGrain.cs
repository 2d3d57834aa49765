using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Lake;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Sessions;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Sessions;

/// <summary>
/// One session's live state, fed in batches by the user grain that owns the session. It closes once
/// the event-time watermark is past its last activity by the timeout (a shard of the
/// <see cref="OpenSessions"/> schedule asks); a closed session that receives a late event reopens and takes its closed figures back.
/// </summary>
public sealed class SessionGrain(
    [PersistentState("session", CheckpointedGrainStorage.Name)] IPersistentState<SessionAggregate> state,
    OpenSessions openSessions,
    KpiAccumulator kpis,
    LakeWriter lake,
    IOptions<SessionClosingOptions> options) : Grain, ISessionGrain
{
    /// <summary>
    /// A closed session's row is written again from the state it was activated with: the row its last
    /// activation wrote may have died with that silo's writer before its checkpoint released it.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Closed)
        {
            PublishClosedRow(state.State.ToSnapshot(this.GetPrimaryKeyString()));
        }
        return Task.CompletedTask;
    }

    // Keyed by session and last activity: closing the same session again (after a roll-back) writes the same row.
    private void PublishClosedRow(SessionSnapshot closed) =>
        lake.UpsertAtCheckpoint(SilverRows.Sessions, $"{closed.SessionId}\u001f{closed.LastActivity.UtcTicks}", SilverRows.Of(closed));

    private void ScheduleClosing() =>
        openSessions.Schedule(this.GetPrimaryKeyString(), state.State.LastActivity!.Value + options.Value.Timeout);

    public Task RecordAsync(IReadOnlyList<UserActivity> activities)
    {
        ArgumentNullException.ThrowIfNull(activities);
        var sessionId = this.GetPrimaryKeyString();
        var wasClosed = state.State.Closed ? state.State.ToSnapshot(sessionId) : null;
        var applied = false;
        foreach (var activity in activities)
        {
            applied |= state.State.Apply(activity);
        }
        if (!applied)
        {
            return Task.CompletedTask;
        }
        if (wasClosed is not null)
        {
            state.State.Reopen();
            kpis.RecordSessionClosed(wasClosed, sign: -1);
        }
        ScheduleClosing();
        return Task.CompletedTask;
    }

    public Task CloseIfIdleAsync(DateTimeOffset watermark)
    {
        var sessionId = this.GetPrimaryKeyString();
        if (state.State.IsIdle(watermark, options.Value.Timeout))
        {
            state.State.Close();
            var closed = state.State.ToSnapshot(sessionId);
            kpis.RecordSessionClosed(closed, sign: 1);
            PublishClosedRow(closed);
            openSessions.Forget(sessionId);
        }
        else if (!state.State.IsKnown || state.State.Closed)
        {
            openSessions.Forget(sessionId);
        }
        return Task.CompletedTask;
    }

    public async Task<bool> EraseAsync()
    {
        var sessionId = this.GetPrimaryKeyString();
        DeactivateOnIdle();
        if (!state.State.IsKnown)
        {
            return false;
        }
        openSessions.Forget(sessionId);
        lake.ForgetSnapshotRows(SilverRows.Sessions, key => key.StartsWith(sessionId + "\u001f", StringComparison.Ordinal));
        await state.ClearStateAsync();
        return true;
    }

    public Task<SessionSnapshot?> GetSnapshotAsync()
    {
        if (!state.State.IsKnown)
        {
            // A lookup of an unknown session must not keep an activation alive until collection.
            DeactivateOnIdle();
            return Task.FromResult<SessionSnapshot?>(null);
        }
        return Task.FromResult<SessionSnapshot?>(state.State.ToSnapshot(this.GetPrimaryKeyString()));
    }

    /// <summary>
    /// Idle grains write their state when collected. At shutdown they do not: the silo's storage is
    /// going away with it (memory storage), and durable storage is kept current by checkpoints.
    /// </summary>
    // An open session stays scheduled after it is collected: the sweeper reactivates it to close it.
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state.State.IsKnown && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }
}
