using System.Collections.Concurrent;
using DataPlatform.Lake.Tables;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// The checkpoint store of the embedded default: in this process only, so nothing survives a restart.
/// Silos of one process that share a cluster (test clusters) share one store.
/// </summary>
public sealed class MemoryCheckpointStore : ICheckpointStore
{
    private static readonly ConcurrentDictionary<string, MemoryCheckpointStore> Clusters = new(StringComparer.Ordinal);

    /// <summary>The store of one cluster (service and cluster id) in this process.</summary>
    public static MemoryCheckpointStore ForCluster(string serviceId, string clusterId) =>
        Clusters.GetOrAdd($"{serviceId}/{clusterId}", static _ => new MemoryCheckpointStore());

    private readonly Lock _gate = new();
    private readonly Dictionary<StateKey, Row> _rows = [];
    private CheckpointRecord _record = CheckpointRecord.Empty with { Lineage = Guid.NewGuid().ToString("N") };

    public Task<CheckpointRecord> LoadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_record);
        }
    }

    public Task<byte[]?> ReadStateAsync(StateKey key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_rows.TryGetValue(key, out var row) ? row.Payload : null);
        }
    }

    public Task<IReadOnlyDictionary<StateKey, byte[]>> ReadStatesAsync(IReadOnlyList<StateKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        lock (_gate)
        {
            var found = new Dictionary<StateKey, byte[]>();
            foreach (var key in keys)
            {
                if (_rows.TryGetValue(key, out var row))
                {
                    found[key] = row.Payload;
                }
            }
            return Task.FromResult<IReadOnlyDictionary<StateKey, byte[]>>(found);
        }
    }

    public Task WriteStatesAsync(long epoch, IReadOnlyList<StateWrite> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        lock (_gate)
        {
            foreach (var state in states)
            {
                _rows[state.Key] = _rows.TryGetValue(state.Key, out var row)
                    ? row.WrittenIn(epoch, state.Payload)
                    : new Row(epoch, state.Payload, 0, null);
            }
        }
        return Task.CompletedTask;
    }

    public Task CompleteAsync(long epoch, IReadOnlyDictionary<string, long> offsets, IReadOnlyList<StagedAppend> staged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        lock (_gate)
        {
            var merged = new Dictionary<string, long>(_record.Offsets, StringComparer.Ordinal);
            foreach (var (partition, offset) in offsets)
            {
                merged[partition] = offset;
            }
            _record = _record with { CompletedEpoch = epoch, Offsets = merged, Staged = staged };
        }
        return Task.CompletedTask;
    }

    public Task<CheckpointRecord> RollBackAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var (key, row) in _rows.Where(pair => pair.Value.Epoch > _record.CompletedEpoch).ToList())
            {
                if (row.PreviousPayload is null)
                {
                    _rows.Remove(key);
                }
                else
                {
                    _rows[key] = new Row(row.PreviousEpoch, row.PreviousPayload, 0, null);
                }
            }
            _record = _record with { Generation = _record.Generation + 1 };
            return Task.FromResult(_record);
        }
    }

    private sealed record Row(long Epoch, byte[] Payload, long PreviousEpoch, byte[]? PreviousPayload)
    {
        public Row WrittenIn(long epoch, byte[] payload) =>
            epoch > Epoch ? new Row(epoch, payload, Epoch, Payload) : this with { Payload = payload };
    }
}
