using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Erasure;
using DataPlatform.Streaming.Kafka;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Segments;
using DataPlatform.Grains.Ingestion;
using DataPlatform.Grains.Kpis;
using DataPlatform.Grains.Lake;
using Microsoft.Extensions.Options;
using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Grains.Users;

/// <summary>
/// One user's live state, fed by the partition router (<see cref="PartitionRouterGrain"/>). It forwards
/// session events to the session grains and records into the silo's KPI pre-aggregator (never a call per
/// event to a shared grain).
/// </summary>
public sealed class UserGrain(
    [PersistentState("user", CheckpointedGrainStorage.Name)] IPersistentState<UserAggregate> state,
    CheckpointProgress progress,
    KpiAccumulator kpis,
    EventClock eventClock,
    SegmentReviews reviews,
    IOptions<SegmentRules> segmentRules,
    IOptions<KpiOptions> kpiOptions,
    LakeWriter lake,
    IDeadLetterSink deadLetters,
    ErasureRegister erasures,
    TimeProvider clock) : Grain, IUserGrain, IUserRecordsGrain
{
    /// <summary>
    /// A known user's gold rows are written again from the state it was activated with: the rows its last
    /// activation wrote may have died with that silo's writer before their checkpoint released them, and
    /// nothing in a replay rewrites them when no record of the user comes after that checkpoint.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.IsKnown)
        {
            PublishGoldRows();
        }
        return Task.CompletedTask;
    }

    public Task<UserProfile?> GetProfileAsync()
    {
        DeactivateIfEmpty();
        return Task.FromResult(state.State.IsKnown ? state.State.ToProfile(this.GetPrimaryKeyString()) : null);
    }

    public Task<UserFeatures?> GetFeaturesAsync()
    {
        DeactivateIfEmpty();
        return Task.FromResult(state.State.Features(this.GetPrimaryKeyString(), CurrentWatermark(), segmentRules.Value));
    }

    public Task<IReadOnlyList<string>> GetSessionIdsAsync()
    {
        DeactivateIfEmpty();
        return Task.FromResult<IReadOnlyList<string>>([.. state.State.SessionIds]);
    }

    /// <summary>A lookup of a user nothing is known about must not keep an activation alive until collection.</summary>
    private void DeactivateIfEmpty()
    {
        if (state.State.IsEmpty)
        {
            DeactivateOnIdle();
        }
    }

    public async Task ApplyOrderAsync(OrderState order)
    {
        if (erasures.IsErased(this.GetPrimaryKeyString()))
        {
            return;
        }
        state.State.ApplyOrder(order);
        await ReviewSegmentAsync(CurrentWatermark());
    }

    private DateTimeOffset CurrentWatermark()
    {
        var lastSeen = state.State.LastSeen ?? DateTimeOffset.MinValue;
        return eventClock.Watermark is { } watermark && watermark > lastSeen ? watermark : lastSeen;
    }

    /// <summary>
    /// Moves this user's contribution between segment figures when its evaluation changed, and tells the customer's
    /// dimension when the dates its segment changed on are not what they were.
    /// </summary>
    public async Task ReviewSegmentAsync(DateTimeOffset watermark)
    {
        var user = state.State;
        if (!user.IsKnown)
        {
            return;
        }
        user.EvaluateSegmentDates(DateOnly.FromDateTime(watermark.UtcDateTime), segmentRules.Value);
        (string, double, decimal)? before = user.Evaluation is { } old ? (old.Segment, old.EngagementScore, user.EvaluatedRevenue) : null;
        if (user.Reevaluate(watermark, segmentRules.Value, out _))
        {
            var now = user.Evaluation!;
            kpis.RecordSegmentChange(before, (now.Segment, now.EngagementScore, user.TotalRevenue));
            user.MarkSegmentCounted();
        }
        reviews.Schedule(this.GetPrimaryKeyString(), user.Evaluation!.NextReviewAt);
        PublishGoldRows();
        if (user.SegmentChangesPending)
        {
            await GrainFactory.GetGrain<ICdcRowGrain>($"customers:{this.GetPrimaryKeyString()}").ApplySegmentsAsync(user.SegmentChanges());
            user.MarkSegmentChangesSent();
        }
    }

    private void PublishGoldRows()
    {
        var (segmentKey, segmentRow) = GoldRows.Segment(this.GetPrimaryKeyString(), state.State);
        lake.UpsertAtCheckpoint(GoldRows.UserSegments, segmentKey, segmentRow);
        var (valueKey, valueRow) = GoldRows.LifetimeValue(this.GetPrimaryKeyString(), state.State);
        lake.UpsertAtCheckpoint(GoldRows.CustomerLifetimeValue, valueKey, valueRow);
        foreach (var snapshot in state.State.TakeFeatureSnapshots(this.GetPrimaryKeyString(), CurrentWatermark(), segmentRules.Value))
        {
            var (featureKey, featureRow) = GoldRows.Of(snapshot);
            lake.UpsertAtCheckpoint(GoldRows.UserFeatures, featureKey, featureRow);
        }
    }


    public Task ApplyAppEventsAsync(RoutedRecords<AppEvent> records) =>
        ApplyAsync(records, UserActivityMapper.From, SilverRows.Of, SilverRows.AppEvents);

    public Task ApplyClickstreamAsync(RoutedRecords<ClickstreamEvent> records) =>
        ApplyAsync(records, UserActivityMapper.From, SilverRows.Of, SilverRows.Clickstream);

    public Task ApplyProfilesAsync(RoutedRecords<UserProfileEvent> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        return progress.ApplyUnlessStaleAsync(records.ReadingGeneration, () =>
        {
            if (DroppedAsErased(records.Count))
            {
                return Task.CompletedTask;
            }
            foreach (var profile in records.Records)
            {
                state.State.ApplyProfile(profile);
                lake.AppendAtCheckpoint(SilverRows.Users, SilverRows.Of(profile));
            }
            return Task.CompletedTask;
        });
    }

    public async Task<UserErasure> EraseAsync()
    {
        var user = state.State;
        var userId = this.GetPrimaryKeyString();
        DeactivateOnIdle();
        if (user.IsEmpty)
        {
            return new UserErasure();
        }
        if (user.Evaluation is { } counted)
        {
            kpis.RecordSegmentLeft(counted.Segment, counted.EngagementScore, user.EvaluatedRevenue);
        }
        lake.ForgetSnapshotRows(GoldRows.UserSegments, key => key == userId);
        lake.ForgetSnapshotRows(GoldRows.CustomerLifetimeValue, key => key == userId);
        lake.ForgetSnapshotRows(GoldRows.UserFeatures, GoldRows.FeatureKeysOf(userId));
        var erased = new UserErasure
        {
            HeldState = true,
            SessionIds = [.. user.SessionIds],
            OrderIds = [.. user.OrderIds],
            Segment = user.Evaluation?.Segment,
        };
        await state.ClearStateAsync();
        return erased;
    }

    /// <summary>The erasure policy: records of an erased user are dropped and counted, never applied or stored.</summary>
    private bool DroppedAsErased(int records)
    {
        if (!erasures.IsErased(this.GetPrimaryKeyString()))
        {
            return false;
        }
        kpis.RecordErasedUserRecords(records);
        return true;
    }

    /// <summary>
    /// Idle grains write their state when collected. At shutdown they do not: the silo's storage is
    /// going away with it (memory storage), and durable storage is kept current by checkpoints.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!state.State.IsEmpty && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Applies a batch of records all or nothing: events the analytics cannot hold are dead-lettered
    /// first, the sessions are updated next (if a session call fails, nothing of the batch is applied
    /// and the stream redelivers it; sessions ignore what they already hold), and only then is each
    /// event applied to the user, its KPIs and its silver table together — a step that cannot fail.
    /// </summary>
    private Task ApplyAsync<T>(RoutedRecords<T> records, Func<T, UserActivity> toActivity, Func<T, object?[]> toRow, string silverTable)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(records);
        return progress.ApplyUnlessStaleAsync(records.ReadingGeneration, () => ApplyFreshAsync(records, toActivity, toRow, silverTable));
    }

    private async Task ApplyFreshAsync<T>(RoutedRecords<T> records, Func<T, UserActivity> toActivity, Func<T, object?[]> toRow, string silverTable)
        where T : notnull
    {
        if (DroppedAsErased(records.Count))
        {
            return;
        }
        // A duplicate inside the batch passes this filter; sessions and TryApply both ignore its second copy.
        var fresh = new List<(UserActivity Activity, T Record, KafkaSourcePosition? Source)>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var (record, source) = (records.Records[i], records.Positions[i]);
            var activity = toActivity(record);
            if (state.State.HasApplied(activity.EventId))
            {
                continue;
            }
            if (UserAggregate.RejectionOf(activity) is { } reason)
            {
                state.State.MarkRejected(activity.EventId);
                await deadLetters.WriteAsync(GrainDeadLetters.Of(record, reason, clock.GetUtcNow(), source), CancellationToken.None);
                continue;
            }
            fresh.Add((activity, record, source));
        }
        if (fresh.Count == 0)
        {
            return;
        }

        await Task.WhenAll(fresh
            .Where(item => item.Activity.SessionId is not null)
            .GroupBy(item => item.Activity.SessionId!, StringComparer.Ordinal)
            .Select(session => GrainFactory.GetGrain<ISessionGrain>(session.Key).RecordAsync([.. session.Select(item => item.Activity)])));

        foreach (var (activity, record, source) in fresh)
        {
            if (state.State.TryApply(activity, out var windows))
            {
                kpis.RecordEvent(activity, windows);
                lake.AppendAtCheckpoint(silverTable, toRow(record));
            }
        }
        kpis.RecordCohortChanges(state.State.TakeCohortChanges());
        await ReviewSegmentAsync(CurrentWatermark());
        if (eventClock.Watermark is { } watermark)
        {
            state.State.ForgetClosedWindows(watermark - kpiOptions.Value.AllowedLateness);
        }
    }
}
