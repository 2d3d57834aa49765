namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// Marks a grain's checkpointed states as possibly changed before and after each of its turns. Calls, stream
/// deliveries (calls to the grain's stream extension) and timer ticks all reach a grain as messages through
/// its incoming call filters, so a state no turn marked since the last checkpoint is unchanged and a
/// checkpoint need not serialize it. Marked after as well: a turn that began before the checkpoint took the
/// mark may change the state after it.
/// </summary>
public sealed class StateTurnTracker(LiveGrainStates live) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var grain = context.TargetContext.GrainId;
        live.Touch(grain);
        try
        {
            await context.Invoke();
        }
        finally
        {
            live.Touch(grain);
        }
    }
}
