using DataPlatform.Lake.Tables;

namespace DataPlatform.Grains.Checkpoints;

/// <summary>
/// Where checkpoints live: the grains' state (one row per grain and state name, written in batches at each
/// checkpoint) and one checkpoint record (the last completed epoch, the recovery generation and the Kafka
/// offsets the completed checkpoint covers).
/// <para>
/// A state row keeps two versions: the one written in the newest epoch and the one before. Writing in an
/// epoch newer than the row's moves the current version to the previous slot; writing in the same epoch
/// replaces it. <see cref="CompleteAsync"/> makes an epoch's writes the truth in one step (one row).
/// <see cref="RollBackAsync"/> puts every row written after the last completed epoch back to its previous
/// version, so the store holds exactly the state of the last completed checkpoint.
/// </para>
/// </summary>
public interface ICheckpointStore
{
    /// <summary>The last completed checkpoint.</summary>
    Task<CheckpointRecord> LoadAsync(CancellationToken cancellationToken);

    /// <summary>A grain's state as last written, or null.</summary>
    Task<byte[]?> ReadStateAsync(StateKey key, CancellationToken cancellationToken);

    /// <summary>The states of many grains as last written, in as few round trips as possible; keys without a state are left out.</summary>
    Task<IReadOnlyDictionary<StateKey, byte[]>> ReadStatesAsync(IReadOnlyList<StateKey> keys, CancellationToken cancellationToken);

    /// <summary>Writes states in <paramref name="epoch"/> (the open one: the last completed + 1), as few round trips as possible.</summary>
    Task WriteStatesAsync(long epoch, IReadOnlyList<StateWrite> states, CancellationToken cancellationToken);

    /// <summary>
    /// Completes <paramref name="epoch"/>: it becomes the last completed, with these offsets merged over the
    /// previous ones and the lake files it staged (committed to their tables after this, and again by
    /// recovery when that did not happen).
    /// </summary>
    Task CompleteAsync(long epoch, IReadOnlyDictionary<string, long> offsets, IReadOnlyList<StagedAppend> staged, CancellationToken cancellationToken);

    /// <summary>Undoes every write after the last completed epoch and starts a new recovery generation.</summary>
    Task<CheckpointRecord> RollBackAsync(CancellationToken cancellationToken);
}

/// <summary>A grain state's identity in the store: the state name and the grain id.</summary>
public readonly record struct StateKey(string StateName, string GrainId);

/// <summary>One state to write.</summary>
public sealed record StateWrite(StateKey Key, byte[] Payload);

/// <summary>The last completed checkpoint: its epoch, the recovery generation, and the next offset to read per topic-partition.</summary>
[GenerateSerializer, Immutable, Alias("dp.CheckpointRecord")]
public sealed record CheckpointRecord(
    [property: Id(0)] long CompletedEpoch,
    [property: Id(1)] long Generation,
    [property: Id(2)] IReadOnlyDictionary<string, long> Offsets)
{
    /// <summary>Nothing checkpointed yet.</summary>
    /// <summary>
    /// Names this store's line of epochs in the lake: epochs of another store (an embedded default that
    /// started again from epoch 1) never look like ones already committed.
    /// </summary>
    [Id(4)] public string Lineage { get; init; } = "";

    /// <summary>The source under which the lake records this store's epochs (see <see cref="StagedAppend.CheckpointSource"/>).</summary>
    public string LakeSource => $"{StagedAppend.CheckpointSource}:{Lineage}";

    /// <summary>The lake files the completed epoch staged: its rows, committed to their tables once it completed.</summary>
    [Id(3)] public IReadOnlyList<StagedAppend> Staged { get; init; } = [];

    public static CheckpointRecord Empty { get; } = new(0, 0, new Dictionary<string, long>(StringComparer.Ordinal));

    /// <summary>The epoch writes go to now.</summary>
    public long OpenEpoch => CompletedEpoch + 1;
}
