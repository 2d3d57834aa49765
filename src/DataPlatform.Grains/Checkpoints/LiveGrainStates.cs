using System.Collections.Concurrent;
using System.Security.Cryptography;
using Orleans.Storage;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// The checkpointed grain states active on this silo. A checkpoint writes those that changed since they
/// were last written: only a state whose grain had a turn since the last checkpoint can have changed
/// (<see cref="StateTurnTracker"/> marks it), and of those, the ones whose serialized form hashes
/// differently from what was written. A roll-back loads every one of them again from the store. Entries
/// hold their state weakly: an activation that went away without writing (nothing worth keeping) is forgotten.
/// </summary>
public sealed class LiveGrainStates(IGrainStorageSerializer serializer)
{
    private readonly ConcurrentDictionary<StateKey, Entry> _entries = new();
    private readonly ConcurrentDictionary<GrainId, Entry[]> _byGrain = new();

    public int Count => _entries.Count;

    /// <summary>Starts tracking an activation's state; <paramref name="written"/> is the payload it was read with.</summary>
    public void Track<T>(StateKey key, GrainId grain, IGrainState<T> state, byte[]? written)
    {
        var entry = new Entry(
            key,
            grain,
            new WeakReference<object>(state),
            written is null ? null : SHA256.HashData(written),
            target => serializer.Serialize(((IGrainState<T>)target).State).ToArray(),
            (target, payload) => Load((IGrainState<T>)target, payload)!);
        _entries[key] = entry;
        _byGrain.AddOrUpdate(grain, [entry], (_, others) => [.. others.Where(other => other.Key != key), entry]);
    }

    /// <summary>Stops tracking (the activation wrote its state and is going away).</summary>
    public void Forget(StateKey key)
    {
        if (_entries.TryRemove(key, out var entry))
        {
            var others = _byGrain.AddOrUpdate(entry.Grain, [], (_, entries) => [.. entries.Where(other => other.Key != key)]);
            if (others.Length == 0)
            {
                _byGrain.TryRemove(new KeyValuePair<GrainId, Entry[]>(entry.Grain, others));
            }
        }
    }

    /// <summary>
    /// The grain is having a turn (a call, a stream delivery or a timer tick): its states may change, and the
    /// next checkpoint compares them with what was written.
    /// </summary>
    public void Touch(GrainId grain)
    {
        if (_byGrain.TryGetValue(grain, out var entries))
        {
            foreach (var entry in entries)
            {
                entry.Touch();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="reloaded"/> with the state of <paramref name="key"/> after a roll-back loaded it
    /// again. It runs outside the grain's turn, while the cluster is paused: it must use the state it is
    /// given (not the grain's persistent-state facet) and only touch what nothing else uses meanwhile.
    /// </summary>
    public void OnReload<T>(StateKey key, Action<T> reloaded)
    {
        ArgumentNullException.ThrowIfNull(reloaded);
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Reloaded = state => reloaded((T)state);
        }
    }

    /// <summary>
    /// The states that changed since last written, serialized now: of those whose grain had a turn since the
    /// last call, the ones whose form differs from what was written. Call only while nothing changes them.
    /// </summary>
    public IReadOnlyList<(StateWrite Write, byte[] Hash)> Changed()
    {
        var touched = new List<(StateKey Key, Entry Entry, object Target)>();
        foreach (var (key, entry) in _entries)
        {
            if (!entry.State.TryGetTarget(out var target))
            {
                Forget(key);
            }
            else if (entry.TakeTouched())
            {
                touched.Add((key, entry, target));
            }
        }
        var changed = new List<(StateWrite, byte[])>();
        foreach (var (key, entry, target) in touched)
        {
            var payload = entry.Serialize(target);
            var hash = SHA256.HashData(payload);
            if (entry.WrittenHash is null || !hash.AsSpan().SequenceEqual(entry.WrittenHash))
            {
                changed.Add((new StateWrite(key, payload), hash));
            }
        }
        return changed;
    }

    /// <summary>
    /// These states could not be written: the next checkpoint compares them again. Without a roll-back (records
    /// that cannot be read again), nothing else would: their grains may never have another turn.
    /// </summary>
    public void NotWritten(IEnumerable<(StateWrite Write, byte[] Hash)> unwritten)
    {
        ArgumentNullException.ThrowIfNull(unwritten);
        foreach (var (write, _) in unwritten)
        {
            if (_entries.TryGetValue(write.Key, out var entry))
            {
                entry.Touch();
            }
        }
    }

    /// <summary>Records that these states were written.</summary>
    public void Written(IEnumerable<(StateWrite Write, byte[] Hash)> written)
    {
        ArgumentNullException.ThrowIfNull(written);
        foreach (var (write, hash) in written)
        {
            if (_entries.TryGetValue(write.Key, out var entry))
            {
                entry.WrittenHash = hash;
            }
        }
    }

    /// <summary>Loads every tracked state again from the store. Call only while nothing changes them.</summary>
    public async Task ReloadAllAsync(ICheckpointStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var live = new List<(StateKey Key, Entry Entry, object Target)>();
        foreach (var (key, entry) in _entries)
        {
            if (entry.State.TryGetTarget(out var target))
            {
                live.Add((key, entry, target));
            }
            else
            {
                Forget(key);
            }
        }
        // One read for all of them: a roll-back must finish within its step however many grains are active.
        var payloads = await store.ReadStatesAsync([.. live.Select(state => state.Key)], cancellationToken);
        foreach (var (key, entry, target) in live)
        {
            var payload = payloads.GetValueOrDefault(key);
            var state = entry.Load(target, payload);
            entry.WrittenHash = payload is null ? null : SHA256.HashData(payload);
            // A state never written is new since the checkpoint: the next one writes it (empty) again.
            if (payload is null)
            {
                entry.Touch();
            }
            entry.Reloaded?.Invoke(state);
        }
    }

    /// <summary>A grain state in the form the store keeps.</summary>
    public byte[] Serialize<T>(IGrainState<T> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return serializer.Serialize(state.State).ToArray();
    }

    /// <summary>Sets a grain state from a stored payload (or to a new, empty state).</summary>
    public T Load<T>(IGrainState<T> state, byte[]? payload)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.State = payload is null ? Activator.CreateInstance<T>() : serializer.Deserialize<T>(new BinaryData(payload));
        state.RecordExists = payload is not null;
        state.ETag = null;
        return state.State!;
    }

    private sealed class Entry(StateKey key, GrainId grain, WeakReference<object> state, byte[]? writtenHash, Func<object, byte[]> serialize, Func<object, byte[]?, object> load)
    {
        // Set when tracking starts: a state just read is compared once (a new one is written once).
        private int _touched = 1;

        public StateKey Key { get; } = key;

        public GrainId Grain { get; } = grain;

        public WeakReference<object> State { get; } = state;

        public byte[]? WrittenHash { get; set; } = writtenHash;

        public Func<object, byte[]> Serialize { get; } = serialize;

        public Func<object, byte[]?, object> Load { get; } = load;

        public Action<object>? Reloaded { get; set; }

        public void Touch() => Volatile.Write(ref _touched, 1);

        /// <summary>Whether the grain had a turn since the last call, and clears the mark.</summary>
        public bool TakeTouched() => Interlocked.Exchange(ref _touched, 0) == 1;
    }
}
