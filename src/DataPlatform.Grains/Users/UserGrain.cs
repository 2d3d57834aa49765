using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Segments;
using DataPlatform.Grains.Kpis;
using DataPlatform.Grains.Lake;
using Microsoft.Extensions.Options;
using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace DataPlatform.Grains.Users;

/// <summary>
/// One user's live state. Subscribes implicitly to the user-keyed streams, forwards session events to
/// the session grains and records into the silo's KPI pre-aggregator (never a call per event to a
/// shared grain).
/// </summary>
[ImplicitStreamSubscription(StreamNamespaces.AppEvents)]
[ImplicitStreamSubscription(StreamNamespaces.Clickstream)]
[ImplicitStreamSubscription(StreamNamespaces.Users)]
public sealed class UserGrain(
    [PersistentState("user")] IPersistentState<UserAggregate> state,
    KpiAccumulator kpis,
    EventClock eventClock,
    SegmentReviews reviews,
    IOptions<SegmentRules> segmentRules,
    IOptions<KpiOptions> kpiOptions,
    LakeWriter lake) : Grain, IUserGrain, IStreamSubscriptionObserver
{
    public Task<UserProfile?> GetProfileAsync()
    {
        DeactivateIfEmpty();
        return Task.FromResult(state.State.IsKnown ? state.State.ToProfile(this.GetPrimaryKeyString()) : null);
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

    public Task ApplyOrderAsync(OrderState order)
    {
        state.State.ApplyOrder(order);
        ReviewSegment(CurrentWatermark());
        return Task.CompletedTask;
    }

    public Task ReviewSegmentAsync(DateTimeOffset watermark)
    {
        ReviewSegment(watermark);
        return Task.CompletedTask;
    }

    private DateTimeOffset CurrentWatermark()
    {
        var lastSeen = state.State.LastSeen ?? DateTimeOffset.MinValue;
        return eventClock.Watermark is { } watermark && watermark > lastSeen ? watermark : lastSeen;
    }

    /// <summary>Moves this user's contribution between segment figures when its evaluation changed.</summary>
    private void ReviewSegment(DateTimeOffset watermark)
    {
        var user = state.State;
        if (!user.IsKnown)
        {
            return;
        }
        (string, double, decimal)? before = user.Evaluation is { } old ? (old.Segment, old.EngagementScore, user.EvaluatedRevenue) : null;
        if (user.Reevaluate(watermark, segmentRules.Value, out _))
        {
            var now = user.Evaluation!;
            kpis.RecordSegmentChange(before, (now.Segment, now.EngagementScore, user.TotalRevenue));
            user.MarkSegmentCounted();
        }
        reviews.Schedule(this.GetPrimaryKeyString(), user.Evaluation!.NextReviewAt);
        var (segmentKey, segmentRow) = GoldRows.Segment(this.GetPrimaryKeyString(), user);
        lake.Upsert(GoldRows.UserSegments, segmentKey, segmentRow);
        var (valueKey, valueRow) = GoldRows.LifetimeValue(this.GetPrimaryKeyString(), user);
        lake.Upsert(GoldRows.CustomerLifetimeValue, valueKey, valueRow);
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        switch (handleFactory.StreamId.GetNamespace())
        {
            case StreamNamespaces.AppEvents:
                await handleFactory.Create<AppEvent>().ResumeAsync(new BatchStreamObserver<AppEvent>(
                    events => ApplyAsync(events, UserActivityMapper.From, SilverRows.Of, SilverRows.AppEvents)));
                break;
            case StreamNamespaces.Clickstream:
                await handleFactory.Create<ClickstreamEvent>().ResumeAsync(new BatchStreamObserver<ClickstreamEvent>(
                    events => ApplyAsync(events, UserActivityMapper.From, SilverRows.Of, SilverRows.Clickstream)));
                break;
            case StreamNamespaces.Users:
                await handleFactory.Create<UserProfileEvent>().ResumeAsync((profile, _) =>
                {
                    state.State.ApplyProfile(profile);
                    lake.Append(SilverRows.Users, SilverRows.Of(profile));
                    return Task.CompletedTask;
                });
                break;
        }
    }

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

    /// <summary>Applies a batch of records and keeps those applied for the first time in their silver table.</summary>
    private async Task ApplyAsync<T>(IReadOnlyList<T> records, Func<T, UserActivity> toActivity, Func<T, object?[]> toRow, string silverTable)
    {
        var activities = records.Select(toActivity).ToList();
        var applied = await ApplyAsync(activities);
        for (var i = 0; i < records.Count && applied.Count > 0; i++)
        {
            if (applied.Remove(activities[i].EventId))
            {
                lake.Append(silverTable, toRow(records[i]));
            }
        }
    }

    /// <summary>
    /// Sessions are updated before the user's own state: if a session call fails, the stream redelivers
    /// and the user grain has not yet marked the events as applied (sessions ignore what they already hold).
    /// </summary>
    private async Task<HashSet<string>> ApplyAsync(List<UserActivity> activities)
    {
        var applied = new HashSet<string>(StringComparer.Ordinal);
        var fresh = new List<UserActivity>(activities.Count);
        var inBatch = new HashSet<string>(StringComparer.Ordinal);
        foreach (var activity in activities)
        {
            if (!state.State.HasApplied(activity.EventId) && inBatch.Add(activity.EventId))
            {
                fresh.Add(activity);
            }
        }
        if (fresh.Count == 0)
        {
            return applied;
        }

        await Task.WhenAll(fresh
            .Where(activity => activity.SessionId is not null)
            .GroupBy(activity => activity.SessionId!, StringComparer.Ordinal)
            .Select(session => GrainFactory.GetGrain<ISessionGrain>(session.Key).RecordAsync([.. session])));

        foreach (var activity in fresh)
        {
            if (state.State.TryApply(activity, out var windows))
            {
                kpis.RecordEvent(activity, windows);
                applied.Add(activity.EventId);
            }
        }
        ReviewSegment(CurrentWatermark());
        if (eventClock.Watermark is { } watermark)
        {
            state.State.ForgetClosedWindows(watermark - kpiOptions.Value.AllowedLateness);
        }
        return applied;
    }
}
