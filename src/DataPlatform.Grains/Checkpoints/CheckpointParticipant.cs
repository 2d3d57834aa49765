using DataPlatform.Contracts.Hosting;
using DataPlatform.Grains.Scheduling;
using DataPlatform.Grains.Sessions;
using DataPlatform.Grains.Users;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Grains.Kpis;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Tables;
using DataPlatform.Streaming.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// This silo's part in the cluster's checkpoints (see <see cref="CheckpointCoordinatorGrain"/>). It joins
/// the coordinator every few seconds (which also keeps the coordinator active somewhere in the cluster).
/// </summary>
public sealed partial class CheckpointParticipant(
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IServiceProvider services,
    CheckpointGate gate,
    CheckpointProgress progress,
    LiveGrainStates live,
    ICheckpointStore store,
    KpiAccumulator kpis,
    KpiReportingService reporting,
    OpenSessions openSessions,
    SegmentReviews reviews,
    LakeWriter lake,
    IOptions<CheckpointOptions> options,
    ILogger<CheckpointParticipant> logger) : BackgroundService, ICheckpointParticipant
{
    private static readonly TimeSpan JoinInterval = TimeSpan.FromSeconds(2);
    private KafkaConsumptionControl? Kafka => services.GetService<KafkaConsumptionControl>();

    // What this silo staged for the open epoch: counted as committed once that epoch completes.
    private (long Epoch, IReadOnlyList<StagedAppend> Appends)? _staged;

    // Staged for an epoch that failed without a roll-back (records that cannot be read again): the next epoch takes them.
    private readonly List<StagedAppend> _carried = [];

    // One roll-back or resume at a time on this silo (see RollBackAsync).
    private readonly SemaphoreSlim _rollingBack = new(1, 1);

    // Joins every JoinInterval until the silo stops (the coordinator notices it leaving); a join that fails,
    // also one the cluster cancelled while a dead silo's directory partition moved, is made again.
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var self = grains.CreateObjectReference<ICheckpointParticipant>(this);
        var coordinator = grains.GetGrain<ICheckpointCoordinatorGrain>(0);
        return UntilStopped.RepeatAsync(async _ =>
        {
            var record = await coordinator.JoinAsync(silo.SiloAddress, self, replayable: Kafka is not null);
            progress.Joined(record);
            kpis.Follow(record.Generation);
            return JoinInterval;
        }, JoinInterval, ex => LogJoinFailed(logger, ex), stoppingToken);
    }

    public async Task<Dictionary<string, long>> PauseAsync(bool rollingBack)
    {
        progress.Pausing(rollingBack);
        Kafka?.Pause();
        await gate.CloseAsync(CancellationToken.None);
        using var bounded = new CancellationTokenSource(options.Value.StepTimeout / 2);
        if (rollingBack)
        {
            // Everything read so far is read again, so nothing more needs delivering; but a delivery under way
            // must end before states are reloaded. One that does not (its grain's silo died and the call waits
            // for it to be declared dead) fails this roll-back, which the next tick tries again.
            await progress.WaitForStateChangesAsync(bounded.Token);
            return [];
        }
        if (Kafka is not { } kafka)
        {
            return [];
        }
        var positions = (await kafka.DrainAsync(bounded.Token))
            .ToDictionary(position => position.Key.ToString(), position => position.Value, StringComparer.Ordinal);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogDrained(logger, progress.OpenEpoch, string.Join(' ', positions.OrderBy(position => position.Key, StringComparer.Ordinal).Select(position => $"{position.Key}:{position.Value}")));
        }
        return positions;
    }

    public async Task<IReadOnlyList<StagedAppend>> FlushAsync()
    {
        progress.Flushing();
        await reporting.ReportNowAsync();
        await Task.WhenAll(((EventTimeSchedule[])[openSessions, reviews]).SelectMany(schedule => schedule.TakePending().Select(shard =>
            grains.GetGrain<IScheduleShardGrain>(ScheduleShards.GrainKey(schedule.Purpose, shard.Key)).ApplyAsync(shard.Value))));
        // Bronze rows carry their Kafka positions and commit now; the offsets this checkpoint completes must not pass them.
        if (!await lake.FlushAppendsAsync(CancellationToken.None))
        {
            throw new IOException("A lake table refused rows read before this checkpoint; see the lake writer's health.");
        }
        lake.HoldCheckpointSnapshots(progress.OpenEpoch);
        IReadOnlyList<StagedAppend> staged = [.. _carried, .. await lake.StageCheckpointRowsAsync(CancellationToken.None)];
        _carried.Clear();
        _staged = (progress.OpenEpoch, staged);
        return staged;
    }

    public async Task PersistAsync(long epoch)
    {
        progress.Persisting();
        var changed = live.Changed();
        if (changed.Count > 0)
        {
            try
            {
                await store.WriteStatesAsync(epoch, [.. changed.Select(state => state.Write)], CancellationToken.None);
            }
            catch
            {
                live.NotWritten(changed);
                throw;
            }
        }
        live.Written(changed);
        LogPersisted(logger, changed.Count, epoch);
    }

    public async Task RollBackAsync(CheckpointRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        // A roll-back the coordinator stopped waiting for goes on here; the next one, and the resume, wait
        // for it to end. Run after the resume, its reload would send some grains back while the grains they
        // feed kept what the cluster read since, and the replay would never bring those records to them again.
        await _rollingBack.WaitAsync();
        try
        {
            await RollBackLocallyAsync(record);
        }
        finally
        {
            _rollingBack.Release();
        }
    }

    private async Task RollBackLocallyAsync(CheckpointRecord record)
    {
        progress.RolledBack(record);
        _staged = null;
        _carried.Clear();
        kpis.Discard(record.Generation);
        lake.DiscardCheckpointRows(record.CompletedEpoch);
        openSessions.DiscardPending();
        reviews.DiscardPending();
        await live.ReloadAllAsync(store, CancellationToken.None);
        if (Kafka is { } kafka)
        {
            await kafka.RewindAsync(record.Generation, ToPartitions(record.Offsets), CancellationToken.None);
        }
    }

    public async Task ResumeAsync(long completedEpoch, Dictionary<string, long> offsets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        await _rollingBack.WaitAsync();
        try
        {
            Resume(completedEpoch, offsets);
        }
        finally
        {
            _rollingBack.Release();
        }
    }

    private void Resume(long completedEpoch, Dictionary<string, long> offsets)
    {
        progress.Completed(completedEpoch);
        if (_staged is { } staged)
        {
            if (staged.Epoch == completedEpoch)
            {
                lake.StagedCommitted(staged.Appends);
            }
            else
            {
                _carried.AddRange(staged.Appends);
            }
            _staged = null;
        }
        lake.ReleaseCheckpointSnapshots(completedEpoch);
        if (Kafka is { } kafka)
        {
            kafka.Commit(ToPartitions(offsets));
            kafka.Resume();
        }
        gate.Open();
    }

    /// <summary>Offsets as the checkpoint record keeps them (by <c>topic-partition</c> name) for the Kafka provider.</summary>
    private static Dictionary<KafkaPartition, long> ToPartitions(IReadOnlyDictionary<string, long> offsets)
    {
        var positions = new Dictionary<KafkaPartition, long>();
        foreach (var (name, offset) in offsets)
        {
            if (KafkaPartition.TryParse(name, out var partition))
            {
                positions[partition] = offset;
            }
        }
        return positions;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Joining the checkpoint coordinator failed; retrying")]
    private static partial void LogJoinFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "Drained for checkpoint {Epoch}; next offsets {Positions}")]
    private static partial void LogDrained(ILogger logger, long epoch, string positions);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Wrote {States} changed grain state(s) in checkpoint {Epoch}")]
    private static partial void LogPersisted(ILogger logger, int states, long epoch);
}
