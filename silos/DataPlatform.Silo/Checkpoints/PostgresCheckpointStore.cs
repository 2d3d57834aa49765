using DataPlatform.Grains.Checkpoints;
using DataPlatform.Lake.Tables;
using Npgsql;

namespace DataPlatform.Silo.Checkpoints;

/// <summary>
/// The checkpoint store of the cluster profile: the tables of deploy/sql/05-checkpoints.sql in the PostgreSQL
/// database of <c>ConnectionStrings:Orleans</c>, shared by every silo of the cluster.
/// <para>
/// <see cref="WriteStatesAsync"/> sends one upsert per <see cref="StatesPerStatement"/> states, each its own
/// transaction: a call that fails part-way leaves some of its states written in the open epoch, which a
/// retry writes again (same epoch: the previous version stays) or <see cref="RollBackAsync"/> undoes.
/// <see cref="CompleteAsync"/> and <see cref="RollBackAsync"/> are one transaction each.
/// </para>
/// </summary>
public sealed class PostgresCheckpointStore : ICheckpointStore, IAsyncDisposable
{
    /// <summary>The most states one upsert statement carries (about 5 MiB of parameters at 1 KiB a state).</summary>
    public const int StatesPerStatement = 5_000;

    // All SET expressions see the row as it was: a write in a newer epoch moves the current version to the
    // previous slot; a write in the same (or an older) epoch replaces the payload and keeps the rest. New rows
    // take the column defaults: no previous version.
    private const string WriteStatesSql = """
        INSERT INTO checkpoint_state AS s (state_name, grain_id, epoch, payload)
        SELECT w.state_name, w.grain_id, @epoch, w.payload
        FROM unnest(@state_names, @grain_ids, @payloads) AS w(state_name, grain_id, payload)
        ON CONFLICT (state_name, grain_id) DO UPDATE SET
            previous_epoch = CASE WHEN s.epoch < excluded.epoch THEN s.epoch ELSE s.previous_epoch END,
            previous_payload = CASE WHEN s.epoch < excluded.epoch THEN s.payload ELSE s.previous_payload END,
            epoch = GREATEST(s.epoch, excluded.epoch),
            payload = excluded.payload
        """;

    private const string ReadStatesSql = """
        SELECT s.state_name, s.grain_id, s.payload
        FROM checkpoint_state AS s
        JOIN unnest(@state_names, @grain_ids) AS k (state_name, grain_id) ON s.state_name = k.state_name AND s.grain_id = k.grain_id
        """;

    private const string ReadStateSql = "SELECT payload FROM checkpoint_state WHERE state_name = @state_name AND grain_id = @grain_id";

    // One statement, so the epoch and the offsets come from one snapshot.
    private const string LoadSql = """
        SELECT r.completed_epoch, r.generation, r.staged_appends::text, r.lineage::text, o.partition, o.next_offset
        FROM checkpoint_record AS r LEFT JOIN checkpoint_offset AS o ON true
        """;

    private const string CompleteSql = "UPDATE checkpoint_record SET completed_epoch = @epoch, staged_appends = @staged::jsonb";

    private const string MergeOffsetsSql = """
        INSERT INTO checkpoint_offset (partition, next_offset)
        SELECT * FROM unnest(@partitions, @next_offsets)
        ON CONFLICT (partition) DO UPDATE SET next_offset = excluded.next_offset
        """;

    // The first statement locks the record row, so no completion moves the epoch while the rows go back.
    private const string NewGenerationSql = "UPDATE checkpoint_record SET generation = generation + 1";

    private const string DeleteFirstWrittenSql = """
        DELETE FROM checkpoint_state
        WHERE epoch > (SELECT completed_epoch FROM checkpoint_record) AND previous_payload IS NULL
        """;

    private const string RestorePreviousSql = """
        UPDATE checkpoint_state
        SET epoch = previous_epoch, payload = previous_payload, previous_epoch = 0, previous_payload = NULL
        WHERE epoch > (SELECT completed_epoch FROM checkpoint_record)
        """;

    private readonly NpgsqlDataSource _dataSource;

    /// <param name="connectionString">The Npgsql connection string (<c>ConnectionStrings:Orleans</c>).</param>
    public PostgresCheckpointStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public async Task<CheckpointRecord> LoadAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(LoadSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadRecordAsync(reader, cancellationToken);
    }

    public async Task<byte[]?> ReadStateAsync(StateKey key, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(ReadStateSql);
        command.Parameters.Add(new NpgsqlParameter<string>("state_name", key.StateName));
        command.Parameters.Add(new NpgsqlParameter<string>("grain_id", key.GrainId));
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    public async Task<IReadOnlyDictionary<StateKey, byte[]>> ReadStatesAsync(IReadOnlyList<StateKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<StateKey, byte[]>();
        foreach (var chunk in keys.Chunk(StatesPerStatement))
        {
            await using var command = _dataSource.CreateCommand(ReadStatesSql);
            command.Parameters.Add(new NpgsqlParameter<string[]>("state_names", [.. chunk.Select(key => key.StateName)]));
            command.Parameters.Add(new NpgsqlParameter<string[]>("grain_ids", [.. chunk.Select(key => key.GrainId)]));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                found[new StateKey(reader.GetString(0), reader.GetString(1))] = (byte[])reader.GetValue(2);
            }
        }
        return found;
    }

    public async Task WriteStatesAsync(long epoch, IReadOnlyList<StateWrite> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Count == 0)
        {
            return;
        }

        // One statement cannot touch a row twice, so the last write of a key wins here. Key order makes
        // concurrent writers lock rows in the same order: they wait for each other but never deadlock.
        var latest = new Dictionary<StateKey, byte[]>(states.Count);
        foreach (var state in states)
        {
            latest[state.Key] = state.Payload;
        }
        var ordered = latest
            .OrderBy(pair => pair.Key.StateName, StringComparer.Ordinal)
            .ThenBy(pair => pair.Key.GrainId, StringComparer.Ordinal)
            .ToArray();

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var chunk in ordered.Chunk(StatesPerStatement))
        {
            await using var command = new NpgsqlCommand(WriteStatesSql, connection);
            command.Parameters.Add(new NpgsqlParameter<long>("epoch", epoch));
            command.Parameters.Add(new NpgsqlParameter<string[]>("state_names", [.. chunk.Select(pair => pair.Key.StateName)]));
            command.Parameters.Add(new NpgsqlParameter<string[]>("grain_ids", [.. chunk.Select(pair => pair.Key.GrainId)]));
            command.Parameters.Add(new NpgsqlParameter<byte[][]>("payloads", [.. chunk.Select(pair => pair.Value)]));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task CompleteAsync(long epoch, IReadOnlyDictionary<string, long> offsets, IReadOnlyList<StagedAppend> staged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(staged);

        // A batch is one round trip and one transaction: the epoch and its offsets commit together.
        await using var batch = _dataSource.CreateBatch();
        var complete = new NpgsqlBatchCommand(CompleteSql);
        complete.Parameters.Add(new NpgsqlParameter<long>("epoch", epoch));
        complete.Parameters.Add(new NpgsqlParameter<string>("staged", StagedAppend.ToJson(staged)));
        batch.BatchCommands.Add(complete);
        if (offsets.Count > 0)
        {
            var ordered = offsets.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToArray();
            var merge = new NpgsqlBatchCommand(MergeOffsetsSql);
            merge.Parameters.Add(new NpgsqlParameter<string[]>("partitions", [.. ordered.Select(pair => pair.Key)]));
            merge.Parameters.Add(new NpgsqlParameter<long[]>("next_offsets", [.. ordered.Select(pair => pair.Value)]));
            batch.BatchCommands.Add(merge);
        }
        await batch.ExecuteNonQueryAsync(cancellationToken);
        if (complete.RecordsAffected != 1)
        {
            throw MissingRecord();
        }
    }

    public async Task<CheckpointRecord> RollBackAsync(CancellationToken cancellationToken)
    {
        // One batch: one transaction, ending with the record as LoadAsync reads it.
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(NewGenerationSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(DeleteFirstWrittenSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(RestorePreviousSql));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(LoadSql));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadRecordAsync(reader, cancellationToken);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static async Task<CheckpointRecord> ReadRecordAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        CheckpointRecord? record = null;
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            record ??= new CheckpointRecord(reader.GetInt64(0), reader.GetInt64(1), offsets)
            {
                Staged = StagedAppend.FromJson(reader.GetString(2)),
                Lineage = reader.GetString(3),
            };
            if (!await reader.IsDBNullAsync(4, cancellationToken))
            {
                offsets[reader.GetString(4)] = reader.GetInt64(5);
            }
        }
        return record ?? throw MissingRecord();
    }

    private static InvalidOperationException MissingRecord() =>
        new("checkpoint_record has no row: deploy/sql/05-checkpoints.sql has not been applied to this database.");
}
