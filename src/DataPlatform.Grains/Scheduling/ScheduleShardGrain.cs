using DataPlatform.Contracts.Grains;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Kpis;
using DataPlatform.Grains.Sessions;
using DataPlatform.Grains.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Scheduling;

/// <summary>
/// One shard of a schedule ("sessions" closes idle sessions, "reviews" re-evaluates users' segments).
/// Its keys are checkpointed state, fed by each silo's <see cref="EventTimeSchedule"/> at every checkpoint.
/// Every interval it visits the keys the event-time watermark has passed, a bounded number at once, and
/// only between checkpoints; a visited key is removed, and a grain that needs another visit schedules it.
/// </summary>
public sealed partial class ScheduleShardGrain(
    [PersistentState("schedule", CheckpointedGrainStorage.Name)] IPersistentState<ScheduleShard> state,
    EventClock eventClock,
    CheckpointGate gate,
    IOptions<SessionClosingOptions> options,
    ILogger<ScheduleShardGrain> logger) : Grain, IScheduleShardGrain
{
    private const int VisitsInFlight = 64;
    private IGrainTimer? _timer;

    private string Purpose => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/', StringComparison.Ordinal)];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.Value.SweepInterval;
        _timer = this.RegisterGrainTimer(SweepAsync, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (state.State.DueAt.Count > 0 && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public Task ApplyAsync(IReadOnlyList<ScheduleChange> changes)
    {
        state.State.Apply(changes);
        return Task.CompletedTask;
    }

    public Task<int> CountAsync() => Task.FromResult(state.State.DueAt.Count);

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        // Never wait for the gate: the checkpoint that holds it calls this grain.
        if (eventClock.Watermark is not { } watermark || !gate.TryEnter(out var inside))
        {
            return;
        }
        using (inside)
        {
            var visited = new List<ScheduleChange>();
            // Visits run on the grain's own scheduler, a bounded number at once.
            foreach (var chunk in state.State.DueBefore(watermark).Chunk(VisitsInFlight))
            {
                var outcomes = await Task.WhenAll(chunk.Select(async key =>
                {
                    try
                    {
                        await VisitAsync(key, watermark);
                        return key;
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        LogVisitFailed(logger, ex, key);
                        return null;
                    }
                }));
                visited.AddRange(outcomes.OfType<string>().Select(key => new ScheduleChange(key, null)));
            }
            state.State.Apply(visited);
        }
    }

    private Task VisitAsync(string key, DateTimeOffset watermark) => Purpose switch
    {
        OpenSessions.Name => GrainFactory.GetGrain<ISessionGrain>(key).CloseIfIdleAsync(watermark),
        SegmentReviews.Name => GrainFactory.GetGrain<IUserGrain>(key).ReviewSegmentAsync(watermark),
        _ => throw new InvalidOperationException($"No schedule is called {Purpose}."),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Visiting {Key} failed, will retry")]
    private static partial void LogVisitFailed(ILogger logger, Exception exception, string key);
}
