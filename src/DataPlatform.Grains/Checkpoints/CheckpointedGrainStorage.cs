using Orleans.Storage;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// The grain storage of state that checkpoints own (users, sessions, change-feed rows, KPIs, segments).
/// Reading loads the state from the checkpoint store (batched with other activations' reads) and tracks it in <see cref="LiveGrainStates"/>, so
/// each checkpoint writes what changed, all of a silo's states in one batch. A grain's own write (when
/// it is collected) goes to the store at once, in the open epoch: a roll-back undoes it like any other
/// write after the last checkpoint.
/// </summary>
public sealed class CheckpointedGrainStorage(ICheckpointStore store, BatchedStateReader reader, LiveGrainStates live, CheckpointProgress progress) : IGrainStorage
{
    /// <summary>The storage name grains give in <c>[PersistentState(name, Name)]</c>.</summary>
    public const string Name = "checkpoints";

    public static StateKey KeyOf(string stateName, GrainId grainId) => new(stateName, grainId.ToString());

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(stateName, grainId);
        while (true)
        {
            var generation = progress.Generation;
            var payload = await reader.ReadAsync(key);
            live.Load(grainState, payload);
            live.Track(key, grainId, grainState, payload);
            // Tracked before the check: a roll-back that comes later reloads this state with the others. One
            // that came during the read may have undone what it returned (the store rolls back before any
            // silo moves to the new generation), and its reload may have missed this state: read it again.
            if (progress.Generation == generation)
            {
                return;
            }
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = KeyOf(stateName, grainId);
        // Counted before the check, as a delivery is: a roll-back that begins after the check waits for this
        // write before the store rolls back, so the write cannot land after it and outlive the roll-back.
        progress.BeginStateChange();
        try
        {
            if (progress.IsRollingBack)
            {
                // What this activation holds is being discarded: the roll-back loads the checkpoint's state.
                return;
            }
            var payload = live.Serialize(grainState);
            await store.WriteStatesAsync(progress.OpenEpoch, [new StateWrite(key, payload)], CancellationToken.None);
            live.Forget(key);
            grainState.RecordExists = true;
        }
        finally
        {
            progress.EndStateChange();
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        grainState.State = Activator.CreateInstance<T>();
        await WriteStateAsync(stateName, grainId, grainState);
        grainState.RecordExists = false;
    }
}
