using DataPlatform.Grains.Checkpoints;

namespace DataPlatform.GrainTests;

public interface ITickingGrain : IGrainWithStringKey
{
    /// <summary>Starts counting in checkpointed state on a timer, every 20 ms, and nowhere else.</summary>
    Task StartAsync();

    Task StopAsync();
}

[GenerateSerializer, Alias("dp.test.TickCount")]
public sealed class TickCount
{
    [Id(0)] public long Ticks { get; set; }
}

/// <summary>A grain whose checkpointed state only its timer changes; the ticks so far are readable without calling it.</summary>
public sealed class TickingGrain([PersistentState("ticks", CheckpointedGrainStorage.Name)] IPersistentState<TickCount> state) : Grain, ITickingGrain
{
    private static long s_ticks;
    private IGrainTimer? _timer;

    /// <summary>The ticks counted so far by any ticking grain, read without a call to one.</summary>
    public static long TicksSoFar => Interlocked.Read(ref s_ticks);

    public Task StartAsync()
    {
        _timer ??= this.RegisterGrainTimer(() =>
        {
            state.State.Ticks++;
            Interlocked.Increment(ref s_ticks);
            return Task.CompletedTask;
        }, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20));
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _timer?.Dispose();
        _timer = null;
        return Task.CompletedTask;
    }
}
