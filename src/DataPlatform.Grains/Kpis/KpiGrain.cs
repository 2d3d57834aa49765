using DataPlatform.Analytics.Alerts;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Kpis;

/// <summary>
/// The KPIs of one scope. Receives one delta per silo four times a second and pushes its snapshot to the
/// subscribed web hosts when a delta changed it: at once, or with the next 200 ms tick when it pushed less than
/// 200 ms before (<see cref="KpiPushSchedule"/>), and once a second without changes. A dashboard shows an event
/// about half a second after the silo read it. Each delta that closes minutes of event time has them judged for
/// anomalies (<see cref="KpiBoard.JudgeClosedMinutes"/>); an alert that opens or closes is pushed at once.
/// </summary>
public sealed partial class KpiGrain(
    [PersistentState("kpis", CheckpointedGrainStorage.Name)] IPersistentState<KpiBoard> state,
    LiveGrainStates live,
    CheckpointGate gate,
    CheckpointProgress progress,
    IOptions<KpiOptions> options,
    IOptions<AlertOptions> alertOptions,
    TimeProvider clock,
    LakeWriter lake,
    IOptions<LakeOptions> lakeOptions,
    ILogger<KpiGrain> logger) : Grain, IKpiGrain
{
    private static readonly TimeSpan ForwardInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MinPushSpacing = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan PushHeartbeat = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ObserverLifetime = TimeSpan.FromMinutes(1);

    private readonly Dictionary<IKpiObserver, DateTimeOffset> _observers = [];
    private readonly Dictionary<string, SegmentStats> _segmentsToForward = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Table, string Key), string> _goldWritten = [];
    private readonly KpiPushSchedule _pushes = new(MinPushSpacing, PushHeartbeat);
    private IGrainTimer? _forwardTimer;
    private IGrainTimer? _pushTimer;
    private IGrainTimer? _goldTimer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _forwardTimer = this.RegisterGrainTimer(ForwardSegmentsBetweenCheckpointsAsync, new GrainTimerCreationOptions(ForwardInterval, ForwardInterval)
        {
            KeepAlive = true,
        });
        _pushTimer = this.RegisterGrainTimer(PushIfDue, new GrainTimerCreationOptions(MinPushSpacing, MinPushSpacing)
        {
            KeepAlive = true,
        });
        var gold = lakeOptions.Value.GoldSnapshotInterval;
        _goldTimer = this.RegisterGrainTimer(PublishGoldAsync, new GrainTimerCreationOptions(gold, gold) { KeepAlive = true });
        // After a roll-back the board is the checkpoint's again: what it was to forward or had published goes with it.
        live.OnReload<KpiBoard>(CheckpointedGrainStorage.KeyOf("kpis", this.GetGrainId()), _ =>
        {
            _segmentsToForward.Clear();
            _goldWritten.Clear();
        });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _forwardTimer?.Dispose();
        _pushTimer?.Dispose();
        _goldTimer?.Dispose();
        if (reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public Task<DateTimeOffset?> ReportAsync(KpiDelta delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.Generation is { } generation && generation < progress.Generation)
        {
            // Drained before the last roll-back (a report whose answer came too late for the checkpoint that
            // sent it): the replay counts its records again.
            LogStaleDelta(logger, delta.Events, delta.Silo, generation, progress.Generation);
            return Task.FromResult(state.State.Watermark);
        }
        // Both sums are made before either is stored: a delta that cannot be held changes nothing.
        var toForward = _segmentsToForward.SumsWith(delta.Segments);
        state.State.Apply(delta, clock.GetUtcNow(), options.Value);
        _segmentsToForward.SetAll(toForward);
        foreach (var alert in state.State.JudgeClosedMinutes(options.Value, alertOptions.Value))
        {
            LogAlert(logger, alert.Kind, alert.State, alert.Detail);
            Notify(observer => observer.OnAlertAsync(alert));
        }
        if (!delta.IsEmpty)
        {
            _pushes.Changed();
            PushIfDue();
        }
        return Task.FromResult(state.State.Watermark);
    }

    public Task<bool> ForgetUserAsync(string userId, IReadOnlyList<string> sessionIds)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Task.FromResult(state.State.Forget(userId, sessionIds));
    }

    public Task<KpiSnapshot> GetSnapshotAsync() => Task.FromResult(state.State.Snapshot(clock.GetUtcNow(), options.Value));

    public Task<IReadOnlyList<KpiMinute>> GetHistoryAsync(int minutes) => Task.FromResult(state.State.History(minutes));

    public Task<IReadOnlyList<FunnelDay>> GetFunnelsAsync() => Task.FromResult(state.State.Funnels());

    public Task<IReadOnlyList<CohortRetention>> GetCohortsAsync() => Task.FromResult(state.State.Cohorts());

    public Task<IReadOnlyList<Alert>> GetAlertsAsync() => Task.FromResult(state.State.Alerts());

    public Task<DailySummary> GetDailySummaryAsync(DateOnly day) => Task.FromResult(state.State.DailySummary(day));

    public Task<IReadOnlyDictionary<string, ProductSales>> GetProductPerformanceAsync() =>
        Task.FromResult(state.State.ProductPerformance());

    public Task<IReadOnlyList<EventMetric>> GetHourlyMetricsAsync() => Task.FromResult(state.State.HourlyMetrics());

    public Task<IReadOnlyList<EventMetric>> GetMinuteMetricsAsync(int minutes) => Task.FromResult(state.State.MinuteMetrics(minutes));

    public Task SubscribeAsync(IKpiObserver observer)
    {
        _observers[observer] = clock.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task PublishGoldAsync()
    {
        var board = state.State;
        foreach (var day in board.Days())
        {
            Publish(GoldRows.DailySummary, GoldRows.Of(board.DailySummary(day)));
            if (board.OrdersOn(day) is { } orders)
            {
                Publish(GoldRows.DailySales, GoldRows.Sales(day, orders));
            }
        }
        if (board.Watermark is { } watermark)
        {
            foreach (var metric in board.HourlyMetrics().Where(metric => metric.WindowStart.AddHours(1) <= watermark))
            {
                Publish(GoldRows.EventMetrics, GoldRows.Of(metric));
            }
        }
        foreach (var funnel in board.Funnels())
        {
            Publish(GoldRows.FunnelDaily, GoldRows.Of(funnel));
        }
        foreach (var cell in board.Cohorts())
        {
            Publish(GoldRows.CohortRetention, GoldRows.Of(cell));
        }
        foreach (var alert in board.Alerts())
        {
            Publish(GoldRows.Alerts, GoldRows.Of(alert));
        }
        foreach (var (productId, sales) in board.ProductsEverSold())
        {
            Publish(GoldRows.ProductPerformance, GoldRows.Of(productId, sales));
        }
        Publish(GoldRows.OpsMetrics, GoldRows.Ops(board.Snapshot(clock.GetUtcNow(), options.Value), lake));
        return Task.CompletedTask;
    }

    /// <summary>Hands a gold row to the lake writer unless it is the row last handed for its key.</summary>
    private void Publish(string table, (string Key, object?[] Row) gold)
    {
        var signature = string.Join('\u001f', gold.Row.Select(value => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)));
        if (_goldWritten.TryGetValue((table, gold.Key), out var written) && written == signature)
        {
            return;
        }
        _goldWritten[(table, gold.Key)] = signature;
        lake.Upsert(table, gold.Key, gold.Row);
    }

    public Task UnsubscribeAsync(IKpiObserver observer)
    {
        _observers.Remove(observer);
        return Task.CompletedTask;
    }

    private Task PushIfDue()
    {
        if (_pushes.IsDue(clock.GetUtcNow()))
        {
            Push();
        }
        return Task.CompletedTask;
    }

    // Between checkpoints only, and never waiting for the gate (the checkpoint that holds it calls this grain).
    // A forward during a roll-back could reach a segment grain already reloaded, and the replay would count it again.
    private async Task ForwardSegmentsBetweenCheckpointsAsync()
    {
        if (!gate.TryEnter(out var inside))
        {
            return;
        }
        using (inside)
        {
            try
            {
                await ForwardSegmentsAsync();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Forwarding segment changes failed; retrying next second");
            }
        }
    }

    // Segment grains get the transitions of every silo, batched, once a second; what fails stays to forward.
    // A roll-back waits for a forward under way, also one the checkpoint started and stopped waiting for.
    public async Task ForwardSegmentsAsync()
    {
        progress.BeginStateChange();
        try
        {
            foreach (var (segment, change) in _segmentsToForward.ToList())
            {
                await GrainFactory.GetGrain<ISegmentGrain>(segment).ApplyAsync(change);
                _segmentsToForward.Remove(segment);
            }
        }
        finally
        {
            progress.EndStateChange();
        }
    }

    private void Push()
    {
        var now = clock.GetUtcNow();
        _pushes.Pushed(now);
        foreach (var (observer, refreshed) in _observers)
        {
            if (now - refreshed > ObserverLifetime)
            {
                _observers.Remove(observer);
            }
        }
        if (_observers.Count == 0)
        {
            return;
        }

        var snapshot = state.State.Snapshot(now, options.Value);
        Notify(observer => observer.OnKpisAsync(snapshot));
    }

    private void Notify(Func<IKpiObserver, Task> call)
    {
        foreach (var observer in _observers.Keys)
        {
            try
            {
                // One-way: a slow or vanished web host never holds up the KPI grain.
                _ = call(observer);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                logger.LogWarning(ex, "Dropping a KPI observer that could not be called");
                _observers.Remove(observer);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Ignored a KPI delta of {Events} events from {Silo}: drained in generation {Generation}, before the roll-back to generation {Current}")]
    private static partial void LogStaleDelta(ILogger logger, long events, string? silo, long generation, long current);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Anomaly alert on {Signal} {State}: {Detail}")]
    private static partial void LogAlert(ILogger logger, string signal, string state, string detail);
}
