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
/// Keyed snapshot tables keep only the newest row per key until they are merged.
/// </summary>
public sealed partial class LakeWriter(
    IGrainFactory grains,
    IOptions<LakeOptions> options,
    TimeProvider clock,
    ILocalSiloDetails silo,
    ILogger<LakeWriter> logger) : ILakeWriterStatus, IDisposable
{
    private const int MaxAttempts = 5;
    private readonly ConcurrentDictionary<string, AppendBuffer> _appends = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SnapshotBuffer> _snapshots = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Dictionary<string, long>> _positions = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private long _buffered;
    private long _rowsCommitted;
    private long _filesCommitted;
    private long _lastFlushTicks;
    private int _failures;

    /// <summary>Signalled when a table's buffer reaches the size that triggers a flush.</summary>
    public event Action? FlushWanted;

    public DateTimeOffset? LastFlushAt => Interlocked.Read(ref _lastFlushTicks) is var ticks && ticks > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
    public long BufferedRows => Interlocked.Read(ref _buffered);
    public long RowsCommitted => Interlocked.Read(ref _rowsCommitted);
    public long FilesCommitted => Interlocked.Read(ref _filesCommitted);
    public int ConsecutiveFailures => Volatile.Read(ref _failures);

    /// <summary>Buffers a row of an append table; <paramref name="appId"/> and <paramref name="offset"/> give its source position.</summary>
    public void Append(string table, object?[] row, string? appId = null, long offset = -1)
    {
        var buffer = _appends.GetOrAdd(table, _ => new AppendBuffer());
        int count;
        lock (buffer)
        {
            buffer.Rows.Add(new BufferedRow(row, appId, offset));
            count = buffer.Rows.Count;
        }
        Interlocked.Increment(ref _buffered);
        if (count == options.Value.MaxBufferedRows)
        {
            FlushWanted?.Invoke();
        }
    }

    /// <summary>Buffers the newest row of a key in a keyed snapshot table.</summary>
    public void Upsert(string table, string key, object?[] row)
    {
        var buffer = _snapshots.GetOrAdd(table, _ => new SnapshotBuffer());
        lock (buffer)
        {
            if (buffer.Rows.TryAdd(key, row))
            {
                Interlocked.Increment(ref _buffered);
            }
            else
            {
                buffer.Rows[key] = row;
            }
        }
    }

    /// <summary>Commits every buffered append; rows of a failed table stay buffered for the next flush.</summary>
    public async Task FlushAppendsAsync(CancellationToken cancellationToken)
    {
        await _flushGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (name, buffer) in _appends)
            {
                List<BufferedRow> rows;
                lock (buffer)
                {
                    if (buffer.Rows.Count == 0)
                    {
                        continue;
                    }
                    rows = buffer.Rows;
                    buffer.Rows = [];
                }
                Interlocked.Add(ref _buffered, -rows.Count);
                try
                {
                    await AppendAsync(name, rows, cancellationToken);
                    Succeeded();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Failed(name, ex);
                    lock (buffer)
                    {
                        buffer.Rows.InsertRange(0, rows);
                    }
                    Interlocked.Add(ref _buffered, rows.Count);
                }
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    /// <summary>Merges every buffered snapshot row; a newer row buffered meanwhile wins over a failed one.</summary>
    public async Task FlushSnapshotsAsync(CancellationToken cancellationToken)
    {
        await _flushGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var (name, buffer) in _snapshots)
            {
                Dictionary<string, object?[]> rows;
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
                    if (await grains.GetGrain<ITableGrain>(name).MergeAsync([.. rows.Values]) is not null)
                    {
                        Committed(rows.Count, 1);
                    }
                    Succeeded();
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
            var fresh = buffered.Where(row => row.AppId is null || row.Offset > positions.GetValueOrDefault(row.AppId, -1)).ToList();
            var (rows, violations) = RowConformer.Conform(table, fresh.Select(row => row.Values));
            if (rows.Count == 0)
            {
                return;
            }
            var files = new List<AddFile>();
            foreach (var partition in table.GroupByPartition(rows))
            {
                files.Add(await ParquetDataFile.WriteAsync(root, table, partition.Key, [.. partition], clock, cancellationToken));
            }
            var sources = fresh.Where(row => row.AppId is not null)
                .GroupBy(row => row.AppId!, StringComparer.Ordinal)
                .Select(group => new SourceRange(group.Key, group.Min(row => row.Offset), group.Max(row => row.Offset)))
                .ToList();
            var outcome = await grain.AppendAsync(files, sources, QualityProfiler.Profile(table, rows, violations), silo.SiloAddress.ToString());
            if (outcome.Committed)
            {
                foreach (var source in sources)
                {
                    positions[source.AppId] = source.Last;
                }
                Committed(rows.Count, files.Count);
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

    public void Dispose() => _flushGate.Dispose();

    private void Committed(long rows, long files)
    {
        Interlocked.Add(ref _rowsCommitted, rows);
        Interlocked.Add(ref _filesCommitted, files);
        Interlocked.Exchange(ref _lastFlushTicks, clock.GetUtcNow().UtcTicks);
    }

    private void Succeeded() => Volatile.Write(ref _failures, 0);

    private void Failed(string table, Exception ex)
    {
        Interlocked.Increment(ref _failures);
        LogFlushFailed(logger, ex, table);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Flushing {Table} failed; its rows stay buffered for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string table);

    private sealed record BufferedRow(object?[] Values, string? AppId, long Offset);

    private sealed class AppendBuffer
    {
        public List<BufferedRow> Rows { get; set; } = [];
    }

    private sealed class SnapshotBuffer
    {
        public Dictionary<string, object?[]> Rows { get; set; } = new(StringComparer.Ordinal);
    }
}
