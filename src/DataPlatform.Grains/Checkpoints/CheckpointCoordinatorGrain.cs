using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Telemetry;
using DataPlatform.Grains.Lake;
using DataPlatform.Streaming.Kafka;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// Runs the cluster's checkpoints (aligned, stop-the-world, every <see cref="CheckpointOptions.Interval"/>):
/// every silo pauses and drains → every silo flushes its KPI pre-aggregation and bronze rows, and stages
/// its grains' lake rows as files no commit references yet → the KPI grain forwards segment changes →
/// every silo writes its changed grain states in the new epoch → the store completes the epoch with the
/// offsets and the staged files (one row: the commit point) → every silo commits those offsets to Kafka
/// and resumes → the staged files are committed to their tables under the epoch, which a table refuses
/// to commit twice, so a coordinator that takes over commits the last epoch's files again. On any failure, a silo leaving, a partition changing owner or a failed
/// delivery, the whole cluster rolls back to the last completed checkpoint and reads again from its
/// offsets. A new activation (the coordinator's silo died) starts with a roll-back.
/// </summary>
public sealed partial class CheckpointCoordinatorGrain(
    ICheckpointStore store,
    IClusterMembershipService membership,
    IOptions<CheckpointOptions> options,
    TimeProvider clock,
    PlatformMetrics metrics,
    ILogger<CheckpointCoordinatorGrain> logger) : Grain, ICheckpointCoordinatorGrain
{
    private readonly Dictionary<SiloAddress, ICheckpointParticipant> _participants = [];
    private readonly HashSet<SiloAddress> _replayable = [];
    private CheckpointRecord _record = CheckpointRecord.Empty;
    private DateTimeOffset? _completedAt;
    private bool _stagedCommitted;
    private bool _rollBackWanted = true;
    private string _rollBackReason = "the coordinator started";
    private long _rollBacks;
    private IGrainTimer? _timer;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _record = await store.LoadAsync(cancellationToken);
        _timer = this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(options.Value.Interval, options.Value.Interval) { KeepAlive = true });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task<CheckpointRecord> JoinAsync(SiloAddress silo, ICheckpointParticipant participant, bool replayable)
    {
        _participants[silo] = participant;
        if (replayable)
        {
            _replayable.Add(silo);
        }
        else
        {
            _replayable.Remove(silo);
        }
        return Task.FromResult(_record);
    }

    public Task RequestRollBackAsync(string reason)
    {
        if (!_rollBackWanted)
        {
            _rollBackWanted = true;
            _rollBackReason = reason;
        }
        return Task.CompletedTask;
    }

    public Task<CheckpointStatus> GetStatusAsync() =>
        Task.FromResult(new CheckpointStatus(_record.CompletedEpoch, _record.Generation, _completedAt, _participants.Count, _rollBackWanted, _rollBacks));

    public async Task<CheckpointStatus> CheckpointNowAsync()
    {
        await TickAsync(CancellationToken.None);
        return await GetStatusAsync();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        // The completed epoch's rows come before any later epoch's, in every table.
        if (!_stagedCommitted && !await TryCommitStagedAsync())
        {
            return;
        }
        var active = membership.CurrentSnapshot.Members.Values
            .Where(member => member.Status == SiloStatus.Active)
            .Select(member => member.SiloAddress)
            .ToHashSet();
        foreach (var gone in _participants.Keys.Where(silo => !active.Contains(silo)).ToList())
        {
            _participants.Remove(gone);
            _replayable.Remove(gone);
            await RequestRollBackAsync($"silo {gone} left the cluster");
        }
        if (active.Any(silo => !_participants.ContainsKey(silo)))
        {
            // A silo whose participant has not joined yet would go on while the others pause.
            return;
        }
        var participants = _participants.Values.ToList();
        if (_rollBackWanted && _replayable.Count == 0)
        {
            // Records that did not come from Kafka (streams published directly) cannot be read again:
            // the state in memory is the only truth, and checkpoints keep writing it. Silos a failed
            // checkpoint left paused go on.
            _rollBackWanted = false;
            await OnEveryAsync(participants, participant => participant.ResumeAsync(_record.CompletedEpoch, []));
        }
        if (_rollBackWanted)
        {
            await RollBackAsync(participants);
            return;
        }
        try
        {
            await CheckpointAsync(participants);
        }
        catch (PartitionsMovedException)
        {
            // Expected after every rebalance, and the silo that took a partition asked for this roll-back already.
            LogPartitionsMoved(logger, _record.OpenEpoch);
            await RequestRollBackAsync("Kafka partitions changed owner");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogCheckpointFailed(logger, ex, _record.OpenEpoch);
            await RequestRollBackAsync($"checkpoint {_record.OpenEpoch} failed");
        }
    }

    private async Task CheckpointAsync(List<ICheckpointParticipant> participants)
    {
        var epoch = _record.OpenEpoch;
        var started = clock.GetTimestamp();
        var positions = await OnEveryAsync(participants, participant => participant.PauseAsync(rollingBack: false));
        var drained = clock.GetTimestamp();
        var staged = (await OnEveryAsync(participants, participant => participant.FlushAsync())).SelectMany(appends => appends).ToList();
        await GrainFactory.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).ForwardSegmentsAsync().WaitAsync(options.Value.StepTimeout);
        var flushed = clock.GetTimestamp();
        await OnEveryAsync(participants, participant => participant.PersistAsync(epoch));
        var persisted = clock.GetTimestamp();
        var offsets = positions.SelectMany(silo => silo).ToDictionary(StringComparer.Ordinal);
        await store.CompleteAsync(epoch, offsets, staged, CancellationToken.None);
        var merged = new Dictionary<string, long>(_record.Offsets, StringComparer.Ordinal);
        foreach (var (partition, offset) in offsets)
        {
            merged[partition] = offset;
        }
        _record = _record with { CompletedEpoch = epoch, Offsets = merged, Staged = staged };
        _stagedCommitted = false;
        _completedAt = clock.GetUtcNow();
        await OnEveryAsync(participants, participant => participant.ResumeAsync(epoch, offsets));
        var paused = clock.GetElapsedTime(started);
        metrics.CheckpointCompleted(paused);
        LogCheckpointCompleted(logger, epoch, paused.TotalMilliseconds, clock.GetElapsedTime(started, drained).TotalMilliseconds,
            clock.GetElapsedTime(drained, flushed).TotalMilliseconds, clock.GetElapsedTime(flushed, persisted).TotalMilliseconds);
        await TryCommitStagedAsync();
    }

    /// <summary>Commits the files the completed epoch staged (again, after a take-over: see <see cref="StagedCommits"/>).</summary>
    private async Task<bool> TryCommitStagedAsync()
    {
        try
        {
            await StagedCommits.CommitAsync(GrainFactory, _record.LakeSource, _record.CompletedEpoch, _record.Staged, options.Value.StepTimeout);
            _stagedCommitted = true;
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogStagedCommitFailed(logger, ex, _record.CompletedEpoch);
            return false;
        }
    }

    private async Task RollBackAsync(List<ICheckpointParticipant> participants)
    {
        _rollBackWanted = false;
        var reason = _rollBackReason;
        try
        {
            await OnEveryAsync(participants, participant => participant.PauseAsync(rollingBack: true));
            _record = await store.RollBackAsync(CancellationToken.None);
            await OnEveryAsync(participants, participant => participant.RollBackAsync(_record));
            await OnEveryAsync(participants, participant => participant.ResumeAsync(_record.CompletedEpoch, []));
            _rollBacks++;
            LogRolledBack(logger, _record.CompletedEpoch, _record.Generation, reason);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRollBackFailed(logger, ex, reason);
            _rollBackWanted = true;
        }
    }

    private async Task<T[]> OnEveryAsync<T>(List<ICheckpointParticipant> participants, Func<ICheckpointParticipant, Task<T>> step) =>
        await Task.WhenAll(participants.Select(participant => step(participant).WaitAsync(options.Value.StepTimeout)));

    private async Task OnEveryAsync(List<ICheckpointParticipant> participants, Func<ICheckpointParticipant, Task> step) =>
        await Task.WhenAll(participants.Select(participant => step(participant).WaitAsync(options.Value.StepTimeout)));

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Checkpoint {Epoch} failed; the cluster goes back to the last completed one")]
    private static partial void LogCheckpointFailed(ILogger logger, Exception exception, long epoch);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Checkpoint {Epoch} gave way to a roll-back: Kafka partitions changed owner since the last one")]
    private static partial void LogPartitionsMoved(ILogger logger, long epoch);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug,
        Message = "Checkpoint {Epoch} completed; consumption paused {PausedMs:0} ms: drain {DrainMs:0} ms, flush {FlushMs:0} ms, persist {PersistMs:0} ms")]
    private static partial void LogCheckpointCompleted(ILogger logger, long epoch, double pausedMs, double drainMs, double flushMs, double persistMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Rolled back to checkpoint {Epoch} (generation {Generation}) because {Reason}")]
    private static partial void LogRolledBack(ILogger logger, long epoch, long generation, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Rolling back ({Reason}) failed; trying again on the next tick")]
    private static partial void LogRollBackFailed(ILogger logger, Exception exception, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Committing the lake rows of checkpoint {Epoch} failed; no checkpoint runs until they are committed")]
    private static partial void LogStagedCommitFailed(ILogger logger, Exception exception, long epoch);
}
