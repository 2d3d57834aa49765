using System.Collections.Concurrent;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Schema;
using DataPlatform.Lake.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Lake;

/// <summary>
/// The silo's lake writer. Grains and the Kafka edge hand it rows without waiting; it buffers them per
/// table and, on each flush, writes one Parquet file per partition and asks the table's grain to commit
/// them. Rows that carry a source position (topic-partition, offset) are never committed twice: a flush
/// drops the rows at or below the table's recorded position and the grain refuses a stale append.
/// Keyed snapshot tables keep only the newest row per key until they are merged. A row a table cannot take
/// goes to bronze.quarantine with its reason and the rest of the flush commits; failures and waiting rows
/// are tracked per table for health.
/// </summary>
public sealed partial class LakeWriter(
    IGrainFactory grains,
    IOptions<LakeOptions> options,
    TimeProvider clock,
    ILocalSiloDetails silo,
    QualityExpectations expectations,
    ILogger<LakeWriter> logger) : ILakeWriterStatus, IDisposable
{
    private const int MaxAttempts = 5;
    private readonly ConcurrentDictionary<string, AppendBuffer> _appends = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AppendBuffer> _checkpointAppends = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SnapshotBuffer> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SnapshotBuffer> _checkpointSnapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, object?[]?>> _heldSnapshots = new(StringComparer.Ordinal);
    private long _heldEpoch;
    private readonly ConcurrentDictionary<string, Dictionary<string, long>> _positions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TableState> _tables = new(StringComparer.Ordinal);
    private readonly MachinePaths _paths = new(options.Value.Root);
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private long _buffered;
    private long _rowsCommitted;
    private long _filesCommitted;
    private long _lastFlushTicks;

    /// <summary>Signalled when a table's buffer reaches the size that triggers a flush.</summary>
    public event Action? FlushWanted;

    public DateTimeOffset? LastFlushAt => Interlocked.Read(ref _lastFlushTicks) is var ticks && ticks > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    public bool IsFlushing => _flushGate.CurrentCount == 0;
    public long BufferedRows => Interlocked.Read(ref _buffered);
    public long RowsCommitted => Interlocked.Read(ref _rowsCommitted);
    public long FilesCommitted => Interlocked.Read(ref _filesCommitted);
    public int ConsecutiveFailures => _tables.Values.Select(state => state.ConsecutiveFailures).DefaultIfEmpty().Max();

    public IReadOnlyList<TableWriterStatus> Tables =>
        [.. _tables.OrderBy(table => table.Key, StringComparer.Ordinal).Select(table => table.Value.Status(table.Key, RowsWaitingIn(table.Key)))];

    /// <summary>Buffers a row of an append table; <paramref name="appId"/> and <paramref name="offset"/> give its source position.</summary>
    public void Append(string table, object?[] row, string? appId = null, long offset = -1)
    {
        var count = _appends.GetOrAdd(table, _ => new AppendBuffer()).Add(new BufferedRow(row, appId, offset));
        Interlocked.Increment(ref _buffered);
        if (count == options.Value.MaxBufferedRows)
        {
            FlushWanted?.Invoke();
        }
    }

    /// <summary>
    /// Buffers a row that grain state produced, committed by the next checkpoint (<see cref="StageCheckpointRowsAsync"/>)
    /// with the state that produced it; a roll-back discards it (the replay produces it again).
    /// </summary>
    public void AppendAtCheckpoint(string table, object?[] row)
    {
        _checkpointAppends.GetOrAdd(table, _ => new AppendBuffer()).Add(new BufferedRow(row, null, -1));
        Interlocked.Increment(ref _buffered);
    }

    /// <summary>
    /// The cluster rolls back to <paramref name="completedEpoch"/>: drops the rows waiting for a later checkpoint
    /// (the replay produces them again). Snapshot rows held for <paramref name="completedEpoch"/> itself belong to
    /// the state the cluster goes back to, and are released: this silo may have missed that checkpoint's resume.
    /// </summary>
    public void DiscardCheckpointRows(long completedEpoch)
    {
        ReleaseCheckpointSnapshots(completedEpoch);
        foreach (var buffer in _checkpointAppends.Values)
        {
            Interlocked.Add(ref _buffered, -buffer.TakeAll().Count);
        }
        foreach (var buffer in _checkpointSnapshots.Values)
        {
            lock (buffer)
            {
                Interlocked.Add(ref _buffered, -buffer.Rows.Count);
                buffer.Rows = new(StringComparer.Ordinal);
            }
        }
        lock (_heldSnapshots)
        {
            Interlocked.Add(ref _buffered, -_heldSnapshots.Values.Sum(rows => rows.Count));
            _heldSnapshots.Clear();
        }
    }

    /// <summary>
    /// Buffers the newest row of a key in a keyed snapshot table, from grain state: it is merged only once the
    /// checkpoint that persists that state completed (<see cref="HoldCheckpointSnapshots"/>, <see cref="ReleaseCheckpointSnapshots"/>),
    /// and a roll-back discards it. A row from state the cluster rolled back would otherwise stay in the table
    /// when nothing in the replay writes its key again.
    /// </summary>
    public void UpsertAtCheckpoint(string table, string key, object?[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (Replace(_checkpointSnapshots.GetOrAdd(table, _ => new SnapshotBuffer()), key, row))
        {
            Interlocked.Increment(ref _buffered);
        }
    }

    /// <summary>
    /// Like <see cref="UpsertAtCheckpoint"/>, for a key whose row must go: the merge of that checkpoint's rows removes
    /// the key from the table (a version of a dimension that no longer exists, a deleted order's fact rows).
    /// </summary>
    public void DeleteAtCheckpoint(string table, string key)
    {
        if (Replace(_checkpointSnapshots.GetOrAdd(table, _ => new SnapshotBuffer()), key, null))
        {
            Interlocked.Increment(ref _buffered);
        }
    }

    /// <summary>
    /// Forgets the rows waiting for a keyed snapshot table whose key <paramref name="isErased"/> matches (an erased
    /// user's gold rows, an erased session's rows), wherever they wait on this silo.
    /// </summary>
    public void ForgetSnapshotRows(string table, Func<string, bool> isErased)
    {
        ArgumentNullException.ThrowIfNull(isErased);
        foreach (var buffers in new[] { _checkpointSnapshots, _snapshots })
        {
            if (buffers.TryGetValue(table, out var buffer))
            {
                lock (buffer)
                {
                    Forget(buffer.Rows, isErased);
                }
            }
        }
        lock (_heldSnapshots)
        {
            if (_heldSnapshots.TryGetValue(table, out var held))
            {
                Forget(held, isErased);
            }
        }
    }

    private void Forget(Dictionary<string, object?[]?> rows, Func<string, bool> isErased)
    {
        foreach (var key in rows.Keys.Where(isErased).ToList())
        {
            rows.Remove(key);
            Interlocked.Decrement(ref _buffered);
        }
    }

    /// <summary>At the flush of the checkpoint of <paramref name="epoch"/>: the snapshot rows of grain state so far belong to it.</summary>
    public void HoldCheckpointSnapshots(long epoch)
    {
        lock (_heldSnapshots)
        {
            _heldEpoch = epoch;
            foreach (var (table, buffer) in _checkpointSnapshots)
            {
                Dictionary<string, object?[]?> rows;
                lock (buffer)
                {
                    rows = buffer.Rows;
                    buffer.Rows = new(StringComparer.Ordinal);
                }
                if (!_heldSnapshots.TryGetValue(table, out var held))
                {
                    _heldSnapshots[table] = rows;
                    continue;
                }
                // Rows of a checkpoint that did not complete, still held: the newer row of a key wins.
                foreach (var (key, row) in rows)
                {
                    if (!held.TryAdd(key, row))
                    {
                        held[key] = row;
                        Interlocked.Decrement(ref _buffered);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The checkpoint of <paramref name="completedEpoch"/> completed: the snapshot rows held for it (or for an
    /// earlier one that failed without a roll-back) are merged with the next flush.
    /// </summary>
    public void ReleaseCheckpointSnapshots(long completedEpoch)
    {
        lock (_heldSnapshots)
        {
            if (_heldEpoch > completedEpoch)
            {
                return;
            }
            foreach (var (table, rows) in _heldSnapshots)
            {
                var buffer = _snapshots.GetOrAdd(table, _ => new SnapshotBuffer());
                foreach (var (key, row) in rows)
                {
                    if (!Replace(buffer, key, row))
                    {
                        Interlocked.Decrement(ref _buffered);
                    }
                }
            }
            _heldSnapshots.Clear();
        }
    }

    /// <summary>Sets the row of a key (null: the key is deleted); true when the key was not buffered yet.</summary>
    private static bool Replace(SnapshotBuffer buffer, string key, object?[]? row)
    {
        lock (buffer)
        {
            if (buffer.Rows.TryAdd(key, row))
            {
                return true;
            }
            buffer.Rows[key] = row;
            return false;
        }
    }

    /// <summary>
    /// Writes the rows grains produced since the last checkpoint as Parquet files that no commit references
    /// yet, and hands them back: the checkpoint commits them once its epoch is complete, so a checkpoint
    /// that fails leaves only orphan files no reader sees, and its replay cannot commit a row twice. Rows
    /// those tables refuse are staged for bronze.quarantine with them. When writing fails, the rows stay
    /// buffered and the exception tells the checkpoint.
    /// </summary>
    public async Task<IReadOnlyList<StagedAppend>> StageCheckpointRowsAsync(CancellationToken cancellationToken)
    {
        await _flushGate.WaitAsync(cancellationToken);
        var taken = new List<(AppendBuffer Buffer, List<BufferedRow> Rows)>();
        var writing = PlatformTables.Quarantine;
        try
        {
            var staged = new List<StagedAppend>();
            var quarantined = new List<QuarantinedRow>();
            foreach (var (name, buffer) in _checkpointAppends)
            {
                var rows = buffer.TakeAll();
                if (rows.Count == 0)
                {
                    continue;
                }
                taken.Add((buffer, rows));
                writing = name;
                var table = PlatformTables.Find(name) ?? throw new InvalidOperationException($"{name} is not a lake table.");
                var written = await WriteFilesAsync(table, LakeTable.TablePath(options.Value.Root, name), rows, cancellationToken);
                staged.Add(new StagedAppend(name, written.Files, written.Quality));
                quarantined.AddRange(written.Quarantined);
            }
            if (quarantined.Count > 0)
            {
                writing = PlatformTables.Quarantine;
                var now = clock.GetUtcNow();
                var table = PlatformTables.Get(PlatformTables.Quarantine);
                var written = await WriteFilesAsync(table, LakeTable.TablePath(options.Value.Root, table.Name),
                    [.. quarantined.Select(row => new BufferedRow(row.ToRow(now), null, -1))], cancellationToken);
                staged.Add(new StagedAppend(table.Name, written.Files, written.Quality));
                foreach (var group in quarantined.GroupBy(row => row.Table, StringComparer.Ordinal))
                {
                    StateOf(group.Key).AddQuarantined(group.Count());
                    LogQuarantined(logger, group.Count(), group.Key, group.First().Reason);
                }
            }
            Interlocked.Add(ref _buffered, -taken.Sum(part => part.Rows.Count));
            return staged;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            foreach (var (buffer, rows) in taken)
            {
                buffer.GiveBack(rows);
            }
            Failed(writing, ex);
            throw;
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>Counts staged appends as committed: their checkpoint completed, and it commits them to their tables.</summary>
    public void StagedCommitted(IReadOnlyList<StagedAppend> staged)
    {
        ArgumentNullException.ThrowIfNull(staged);
        foreach (var append in staged)
        {
            Committed(append.Files.Sum(file => FileStatistics.RowsOf(file.Stats)), append.Files.Count);
            Succeeded(append.Table);
        }
    }

    /// <summary>Buffers the newest row of a key in a keyed snapshot table.</summary>
    public void Upsert(string table, string key, object?[] row)
    {
        if (Replace(_snapshots.GetOrAdd(table, _ => new SnapshotBuffer()), key, row))
        {
            Interlocked.Increment(ref _buffered);
        }
    }

    /// <summary>
    /// Commits every buffered append, the quarantine table last (so rows quarantined by this flush go with
    /// it); rows of a failed table stay buffered for the next flush.
    /// </summary>
    public Task<bool> FlushAppendsAsync(CancellationToken cancellationToken) => FlushAsync(_appends, cancellationToken);

    private async Task<bool> FlushAsync(ConcurrentDictionary<string, AppendBuffer> appends, CancellationToken cancellationToken)
    {
        var succeeded = true;
        await _flushGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var name in appends.Keys.Where(name => name != PlatformTables.Quarantine).Append(PlatformTables.Quarantine))
            {
                if (!appends.TryGetValue(name, out var buffer))
                {
                    continue;
                }
                var rows = buffer.TakeAll();
                if (rows.Count == 0)
                {
                    continue;
                }
                Interlocked.Add(ref _buffered, -rows.Count);
                try
                {
                    await AppendAsync(name, rows, cancellationToken);
                    Succeeded(name);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Failed(name, ex);
                    succeeded = false;
                    buffer.GiveBack(rows);
                    Interlocked.Add(ref _buffered, rows.Count);
                }
            }
        }
        finally
        {
            _flushGate.Release();
        }
        return succeeded;
    }

    /// <summary>Merges every buffered snapshot row; a newer row buffered meanwhile wins over a failed one.</summary>
    public async Task FlushSnapshotsAsync(CancellationToken cancellationToken)
    {
        await _flushGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (name, buffer) in _snapshots)
            {
                Dictionary<string, object?[]?> rows;
                lock (buffer)
                {
                    if (buffer.Rows.Count == 0)
                    {
                        continue;
                    }
                    rows = buffer.Rows;
                    buffer.Rows = new(StringComparer.Ordinal);
                }
                Interlocked.Add(ref _buffered, -rows.Count);
                try
                {
                    var upserts = rows.Values.OfType<object?[]>().ToList();
                    var deletes = rows.Where(row => row.Value is null).Select(row => row.Key).ToList();
                    var outcome = await grains.GetGrain<ITableGrain>(name).MergeAsync(upserts, deletes);
                    if (outcome.Version is not null)
                    {
                        Committed(upserts.Count - outcome.Quarantined.Count, 1);
                    }
                    Quarantine(outcome.Quarantined);
                    Succeeded(name);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Failed(name, ex);
                    lock (buffer)
                    {
                        foreach (var (key, row) in rows)
                        {
                            if (buffer.Rows.TryAdd(key, row))
                            {
                                Interlocked.Increment(ref _buffered);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    private async Task AppendAsync(string name, List<BufferedRow> buffered, CancellationToken cancellationToken)
    {
        var table = PlatformTables.Find(name) ?? throw new InvalidOperationException($"{name} is not a lake table.");
        var grain = grains.GetGrain<ITableGrain>(name);
        var positions = _positions.TryGetValue(name, out var known) ? known : await grain.GetSourcePositionsAsync();
        _positions[name] = positions;
        var root = LakeTable.TablePath(options.Value.Root, name);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            // A record read twice before its first row was committed (a rewind) is buffered twice: one row per position.
            var fresh = buffered.Where(row => row.AppId is null || row.Offset > positions.GetValueOrDefault(row.AppId, -1))
                .DistinctBy(row => row.AppId is null ? (object)row : (row.AppId, row.Offset)).ToList();
            var (files, quarantined, quality) = await WriteFilesAsync(table, root, fresh, cancellationToken);
            var sources = fresh.Where(row => row.AppId is not null)
                .GroupBy(row => row.AppId!, StringComparer.Ordinal)
                .Select(group => new SourceRange(group.Key, group.Min(row => row.Offset), group.Max(row => row.Offset)))
                .ToList();
            if (files.Count == 0 && sources.Count == 0)
            {
                Quarantine(quarantined);
                return;
            }
            // With every row quarantined, the commit still records the sources' positions, so a replay is not quarantined twice.
            var outcome = await grain.AppendAsync(files, sources, quality, silo.SiloAddress.ToString());
            if (outcome.Committed)
            {
                foreach (var source in sources)
                {
                    positions[source.AppId] = source.Last;
                }
                Committed(files.Sum(file => FileStatistics.RowsOf(file.Stats)), files.Count);
                Quarantine(quarantined);
                return;
            }
            // Another writer committed some of these positions first (a partition that moved between
            // silos): drop the new files, forget the rows it already holds and try again.
            foreach (var file in files)
            {
                File.Delete(Path.Combine(root, file.Path));
            }
            foreach (var (appId, position) in outcome.StalePositions)
            {
                positions[appId] = position;
            }
        }
        throw new IOException($"{name}: the append was refused {MaxAttempts} times in a row.");
    }

    /// <summary>
    /// Conforms rows to the table's schema, checks them against the table's expectations and writes one Parquet
    /// file per partition; rows the conformer, a blocking expectation or the Parquet writer refused come back for
    /// bronze.quarantine.
    /// </summary>
    private async Task<WrittenRows> WriteFilesAsync(TableDefinition table, string root, List<BufferedRow> fresh, CancellationToken cancellationToken)
    {
        var conformance = RowConformer.Conform(table, fresh.Select(row => row.Values));
        var quarantined = conformance.Rejected.Select(rejected => QuarantinedRow.Of(table, rejected, fresh[rejected.Index].AppId, fresh[rejected.Index].Position)).ToList();
        var expected = expectations.For(table.Name)?.Evaluate(conformance.Rows, clock.GetUtcNow());
        var rows = expected?.Kept ?? conformance.Rows;
        if (expected is { Blocked.Count: > 0 })
        {
            var origins = Origins(fresh, conformance);
            quarantined.AddRange(expected.Blocked.Select(blocked =>
                QuarantinedRow.Of(table, blocked.Row, blocked.Failed, origins[blocked.Row].AppId, origins[blocked.Row].Position)));
        }
        var files = new List<AddFile>();
        foreach (var partition in table.GroupByPartition(rows))
        {
            var write = await ParquetDataFile.WriteSalvagingAsync(root, table, partition.Key, [.. partition], clock, cancellationToken);
            if (write.Refused.Count > 0)
            {
                // The writer refused what the conformer let through: a bug or a limit nobody foresaw, kept with its stack.
                LogWriterRefused(logger, write.Refused[0].Error, write.Refused.Count, table.Name);
                var origins = Origins(fresh, conformance);
                quarantined.AddRange(write.Refused.Select(refused =>
                    QuarantinedRow.Of(table, origins[refused.Row].Values, refused.Error, origins[refused.Row].AppId, origins[refused.Row].Position)));
            }
            if (write.File is { } file)
            {
                files.Add(file);
            }
        }
        var quality = QualityProfiler.Profile(table, rows, conformance.Rejected.Count, quarantined.Count);
        return new WrittenRows(files, quarantined, expected is null ? quality : quality with
        {
            Expectations = new Dictionary<string, long>(expected.Violations, StringComparer.Ordinal),
            ExpectationFailures = expected.FailingRows,
        });
    }

    /// <summary>The buffered row each conformed row came from (the conformer keeps their order).</summary>
    private static Dictionary<object?[], BufferedRow> Origins(List<BufferedRow> fresh, RowConformance conformance)
    {
        var rejected = conformance.Rejected.Select(row => row.Index).ToHashSet();
        var origins = new Dictionary<object?[], BufferedRow>(ReferenceEqualityComparer.Instance);
        var kept = fresh.Where((_, index) => !rejected.Contains(index)).ToList();
        for (var i = 0; i < kept.Count; i++)
        {
            origins[conformance.Rows[i]] = kept[i];
        }
        return origins;
    }

    /// <summary>Buffers quarantined rows for bronze.quarantine and counts them per table.</summary>
    private void Quarantine(IReadOnlyList<QuarantinedRow> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }
        var now = clock.GetUtcNow();
        foreach (var table in rows.GroupBy(row => row.Table, StringComparer.Ordinal))
        {
            var count = table.Count();
            if (table.Key == PlatformTables.Quarantine)
            {
                // Quarantined rows are text and always fit; one that does not would loop forever, so it is only logged.
                LogQuarantineRefused(logger, count, table.First().Reason);
                continue;
            }
            StateOf(table.Key).AddQuarantined(count);
            LogQuarantined(logger, count, table.Key, table.First().Reason);
            foreach (var row in table)
            {
                Append(PlatformTables.Quarantine, row.ToRow(now));
            }
        }
    }

    public void Dispose() => _flushGate.Dispose();

    private void Committed(long rows, long files)
    {
        Interlocked.Add(ref _rowsCommitted, rows);
        Interlocked.Add(ref _filesCommitted, files);
        Interlocked.Exchange(ref _lastFlushTicks, clock.GetUtcNow().UtcTicks);
    }

    private TableState StateOf(string table) => _tables.GetOrAdd(table, static _ => new TableState());

    private void Succeeded(string table) => StateOf(table).Succeeded(clock.GetUtcNow());

    private void Failed(string table, Exception ex)
    {
        // Health is served to anyone who can reach the silo: the reason names lake-relative paths only.
        StateOf(table).Failed(_paths.Mask(ex.Message), clock.GetUtcNow());
        LogFlushFailed(logger, ex, table);
    }

    private long RowsWaitingIn(string table)
    {
        long waiting = 0;
        foreach (var buffers in (ConcurrentDictionary<string, AppendBuffer>[])[_appends, _checkpointAppends])
        {
            if (buffers.TryGetValue(table, out var appends))
            {
                waiting += appends.Count;
            }
        }
        foreach (var buffers in (ConcurrentDictionary<string, SnapshotBuffer>[])[_snapshots, _checkpointSnapshots])
        {
            if (buffers.TryGetValue(table, out var snapshots))
            {
                lock (snapshots)
                {
                    waiting += snapshots.Rows.Count;
                }
            }
        }
        lock (_heldSnapshots)
        {
            waiting += _heldSnapshots.GetValueOrDefault(table)?.Count ?? 0;
        }
        return waiting;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Flushing {Table} failed; its rows stay buffered for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string table);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "The Parquet writer refused {Count} row(s) of {Table} that passed the conformer; they go to bronze.quarantine")]
    private static partial void LogWriterRefused(ILogger logger, Exception exception, int count, string table);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "{Count} row(s) of {Table} went to bronze.quarantine, e.g. {Reason}")]
    private static partial void LogQuarantined(ILogger logger, int count, string table, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "{Count} row(s) of bronze.quarantine itself could not be written and were dropped, e.g. {Reason}")]
    private static partial void LogQuarantineRefused(ILogger logger, int count, string reason);

    private sealed record WrittenRows(List<AddFile> Files, List<QuarantinedRow> Quarantined, CommitQuality Quality);

    private sealed record BufferedRow(object?[] Values, string? AppId, long Offset)
    {
        public long? Position => AppId is null ? null : Offset;
    }

    /// <summary>The figures of one table; a table's own success resets its failures, another table's does not.</summary>
    private sealed class TableState
    {
        private readonly Lock _gate = new();
        private int _failures;
        private long _quarantined;
        private string? _lastError;
        private DateTimeOffset? _lastFailureAt;
        private DateTimeOffset? _lastSuccessAt;

        public void Succeeded(DateTimeOffset at)
        {
            lock (_gate)
            {
                _failures = 0;
                _lastError = null;
                _lastSuccessAt = at;
            }
        }

        public void Failed(string error, DateTimeOffset at)
        {
            lock (_gate)
            {
                _failures++;
                _lastError = error;
                _lastFailureAt = at;
            }
        }

        public void AddQuarantined(long rows) => Interlocked.Add(ref _quarantined, rows);

        public int ConsecutiveFailures => Volatile.Read(ref _failures);

        public TableWriterStatus Status(string table, long rowsWaiting)
        {
            lock (_gate)
            {
                return new TableWriterStatus(table, _failures, rowsWaiting, Interlocked.Read(ref _quarantined), _lastError, _lastFailureAt, _lastSuccessAt);
            }
        }
    }

    /// <summary>
    /// The rows waiting for one table. Many grains add at once, so adding takes no lock; taking and giving
    /// back are the flush's (under the flush gate).
    /// </summary>
    private sealed class AppendBuffer
    {
        private readonly ConcurrentQueue<BufferedRow> _added = new();
        private readonly Lock _givenBackGate = new();
        private List<BufferedRow> _givenBack = [];
        private int _count;

        public int Count => Volatile.Read(ref _count);

        /// <summary>Adds a row and answers how many rows wait now.</summary>
        public int Add(BufferedRow row)
        {
            _added.Enqueue(row);
            return Interlocked.Increment(ref _count);
        }

        /// <summary>The rows buffered so far, rows given back first; the buffer starts again empty.</summary>
        public List<BufferedRow> TakeAll()
        {
            List<BufferedRow> rows;
            lock (_givenBackGate)
            {
                rows = _givenBack;
                _givenBack = [];
            }
            while (_added.TryDequeue(out var row))
            {
                rows.Add(row);
            }
            Interlocked.Add(ref _count, -rows.Count);
            return rows;
        }

        /// <summary>Puts back rows a flush could not write, ahead of every row added since.</summary>
        public void GiveBack(List<BufferedRow> rows)
        {
            lock (_givenBackGate)
            {
                _givenBack = [.. rows, .. _givenBack];
            }
            Interlocked.Add(ref _count, rows.Count);
        }
    }

    private sealed class SnapshotBuffer
    {
        /// <summary>The newest row per key; null for a key to delete.</summary>
        public Dictionary<string, object?[]?> Rows { get; set; } = new(StringComparer.Ordinal);
    }
}
