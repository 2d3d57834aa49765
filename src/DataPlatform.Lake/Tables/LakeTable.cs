using System.Globalization;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Tables;

/// <summary>
/// The commit point of one table: appends files that writers have written, rewrites keyed snapshots,
/// compacts small files, drops partitions past retention and deletes removed files after their grace
/// period, each as a new version of the table's <see cref="DeltaLog"/>. One instance should own a table
/// (a TableGrain); the log's create-if-absent commits keep the table consistent even if two do.
/// </summary>
public sealed class LakeTable
{
    private const int HistoryKept = 200;

    /// <summary>
    /// An erasure commit records a txn of this prefix and its own version, so the erasure deadline can be
    /// found in the snapshot (and its checkpoints) however many commits came after it.
    /// </summary>
    public const string ErasureAppIdPrefix = "dataplatform.erasure.";

    /// <summary>The txn naming the newest erasure version whose older files were purged.</summary>
    public const string ErasurePurgedAppId = "dataplatform.erasure-purged";
    private readonly LakeOptions _options;
    private readonly TimeProvider _clock;
    private readonly LinkedList<CommitRecord> _history = new();

    public LakeTable(string lakeRoot, TableDefinition definition, LakeOptions options, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        Definition = definition;
        _options = options;
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        Root = TablePath(lakeRoot, definition.Name);
        Log = new DeltaLog(Root, options.CheckpointInterval);
    }

    public TableDefinition Definition { get; }
    public string Root { get; }
    public DeltaLog Log { get; }
    public TableSnapshot Snapshot { get; private set; } = new();

    /// <summary>The newest commits first.</summary>
    public IReadOnlyCollection<CommitRecord> History => _history;

    /// <summary>Where a table lives: <c>root/layer/table</c>.</summary>
    public static string TablePath(string lakeRoot, string qualifiedName)
    {
        ArgumentException.ThrowIfNullOrEmpty(lakeRoot);
        ArgumentException.ThrowIfNullOrEmpty(qualifiedName);
        var dot = qualifiedName.IndexOf('.', StringComparison.Ordinal);
        return Path.Combine(lakeRoot, qualifiedName[..dot], qualifiedName[(dot + 1)..]);
    }

    /// <summary>Loads the log (creating the table at version 0 when it has none) and its recent history.</summary>
    public void Open()
    {
        Snapshot = Log.ReadSnapshot();
        if (Snapshot.Version < 0)
        {
            var created = new List<DeltaAction>
            {
                DeltaAction.Of(new CommitInfo { Timestamp = Now(), Operation = "CREATE TABLE" }),
                DeltaAction.Of(new ProtocolAction()),
                DeltaAction.Of(Metadata()),
            };
            TryCommitNext(created);
        }
        _history.Clear();
        for (var version = Math.Max(0, Snapshot.Version - HistoryKept + 1); version <= Snapshot.Version; version++)
        {
            Remember(version, Log.ReadCommit(version));
        }
    }

    /// <summary>Catches up with commits another writer made.</summary>
    public void Refresh()
    {
        var latest = Log.LatestVersion();
        for (var version = Snapshot.Version + 1; version <= latest; version++)
        {
            var actions = Log.ReadCommit(version);
            Snapshot.Apply(version, actions);
            Remember(version, actions);
        }
    }

    /// <summary>
    /// Commits files a writer has written. Refused (with the recorded positions) when a source range
    /// starts at or below what the table already holds for that source.
    /// </summary>
    public AppendOutcome Append(IReadOnlyList<AddFile> files, IReadOnlyList<SourceRange> sources, CommitQuality? quality, string writer)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(sources);
        while (true)
        {
            var stale = sources
                .Where(source => source.First <= Snapshot.TxnVersion(source.AppId))
                .ToDictionary(source => source.AppId, source => Snapshot.TxnVersion(source.AppId), StringComparer.Ordinal);
            if (stale.Count > 0)
            {
                return new AppendOutcome { StalePositions = stale };
            }
            var now = Now();
            var actions = new List<DeltaAction>
            {
                DeltaAction.Of(new CommitInfo
                {
                    Timestamp = now,
                    Operation = "WRITE",
                    OperationParameters = new() { ["mode"] = "Append", ["writer"] = writer },
                    OperationMetrics = Metrics(files.Count, files.Sum(file => FileStatistics.RowsOf(file.Stats)), []),
                    IsBlindAppend = true,
                    Quality = quality,
                }),
            };
            actions.AddRange(sources.Select(source => DeltaAction.Of(new TxnAction(source.AppId, source.Last, now))));
            actions.AddRange(files.Select(DeltaAction.Of));
            if (TryCommitNext(actions) is { } version)
            {
                return new AppendOutcome { Version = version };
            }
        }
    }

    /// <summary>
    /// Writes rows of a keyed snapshot table: each partition the rows touch is rewritten as one file in
    /// which a new row replaces the row with the same key. A row the table cannot take (see
    /// <see cref="RowConformer"/>, or refused by the Parquet writer) is returned for the quarantine and the
    /// merge goes on without it. The version is null when no row was written.
    /// </summary>
    public Task<MergeOutcome> MergeAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken) =>
        MergeAsync(rows, [], cancellationToken);

    /// <summary>
    /// Like <see cref="MergeAsync(IReadOnlyList{object?[]}, CancellationToken)"/>, and removes the rows whose key
    /// is in <paramref name="deletedKeys"/> (a key also written by <paramref name="rows"/> keeps the new row).
    /// </summary>
    public async Task<MergeOutcome> MergeAsync(IReadOnlyList<object?[]> rows, IReadOnlyCollection<string> deletedKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(deletedKeys);
        var conformance = RowConformer.Conform(Definition, rows);
        var rejected = conformance.Rejected.Select(row => QuarantinedRow.Of(Definition, row)).ToList();
        if (conformance.Rows.Count == 0 && deletedKeys.Count == 0)
        {
            return new MergeOutcome { Quarantined = rejected };
        }
        var keyIndexes = QualityProfiler.KeyIndexes(Definition);
        var deleted = deletedKeys.ToHashSet(StringComparer.Ordinal);
        while (true)
        {
            var removed = new List<AddFile>();
            var added = new List<AddFile>();
            var quarantined = new List<QuarantinedRow>(rejected);
            var partitions = Definition.GroupByPartition(conformance.Rows).ToDictionary(group => group.Key ?? DateOnly.MinValue, group => group.ToList());
            if (deleted.Count > 0)
            {
                // A deleted key may be in any partition.
                foreach (var file in Snapshot.Files.Values)
                {
                    partitions.TryAdd(ParquetDataFile.PartitionOf(Definition, file.PartitionValues) ?? DateOnly.MinValue, []);
                }
            }
            foreach (var (partitionKey, written) in partitions)
            {
                DateOnly? partition = Definition.PartitionColumn is null ? null : partitionKey;
                var current = FilesIn(partition).ToList();
                var merged = new Dictionary<string, object?[]>(StringComparer.Ordinal);
                var removedAny = false;
                foreach (var file in current)
                {
                    foreach (var row in await ParquetDataFile.ReadAsync(Root, Definition, file, cancellationToken))
                    {
                        var key = QualityProfiler.KeyOf(Definition, row, keyIndexes);
                        if (deleted.Contains(key))
                        {
                            removedAny = true;
                            continue;
                        }
                        merged[key] = row;
                    }
                }
                if (written.Count == 0 && !removedAny)
                {
                    continue;
                }
                foreach (var row in written)
                {
                    merged[QualityProfiler.KeyOf(Definition, row, keyIndexes)] = row;
                }
                if (merged.Count > 0)
                {
                    var write = await ParquetDataFile.WriteSalvagingAsync(Root, Definition, partition, [.. merged.Values], _clock, cancellationToken);
                    quarantined.AddRange(write.Refused.Select(refused => QuarantinedRow.Of(Definition, refused.Row, refused.Error)));
                    if (write.File is { } file)
                    {
                        added.Add(file);
                    }
                }
                removed.AddRange(current);
            }
            if (added.Count == 0 && removed.Count == 0)
            {
                return new MergeOutcome { Quarantined = quarantined };
            }
            var info = new CommitInfo
            {
                Timestamp = Now(),
                Operation = "MERGE",
                OperationParameters = new() { ["keys"] = string.Join(',', Definition.KeyColumns), ["deletedKeys"] = deleted.Count.ToString(CultureInfo.InvariantCulture) },
                OperationMetrics = Metrics(added.Count, added.Sum(file => FileStatistics.RowsOf(file.Stats)), removed),
                Quality = QualityProfiler.Profile(Definition, conformance.Rows, conformance.Rejected.Count, quarantined.Count),
            };
            if (CommitReplacing(info, removed, added, dataChange: true) is { } version)
            {
                return new MergeOutcome { Version = version, Quarantined = quarantined };
            }
        }
    }

    /// <summary>
    /// Merges the small files (below <see cref="LakeOptions.CompactionSmallFileBytes"/>) of each partition
    /// that has at least <see cref="LakeOptions.CompactionMinFiles"/> of them into one file, as one commit whose actions change no data. Returns the version, or null when nothing
    /// needed compacting.
    /// </summary>
    public async Task<long?> CompactAsync(CancellationToken cancellationToken)
    {
        var candidates = Snapshot.Files.Values
            .Where(file => file.Size < _options.CompactionSmallFileBytes)
            .GroupBy(file => ParquetDataFile.PartitionOf(Definition, file.PartitionValues))
            .Where(group => group.Count() >= _options.CompactionMinFiles)
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }
        var removed = new List<AddFile>();
        var added = new List<AddFile>();
        foreach (var partition in candidates)
        {
            var rows = new List<object?[]>();
            foreach (var file in partition)
            {
                rows.AddRange(await ParquetDataFile.ReadAsync(Root, Definition, file, cancellationToken));
            }
            added.Add(await ParquetDataFile.WriteAsync(Root, Definition, partition.Key, rows, _clock, cancellationToken));
            removed.AddRange(partition);
        }
        var info = new CommitInfo
        {
            Timestamp = Now(),
            Operation = "OPTIMIZE",
            OperationParameters = new() { ["minFiles"] = _options.CompactionMinFiles.ToString(CultureInfo.InvariantCulture) },
            OperationMetrics = Metrics(added.Count, added.Sum(file => FileStatistics.RowsOf(file.Stats)), removed),
        };
        return CommitReplacing(info, removed, added, dataChange: false);
    }

    /// <summary>
    /// Removes every row <paramref name="isAboutUser"/> matches: each file holding one is rewritten without
    /// it (or removed when nothing else is in it), as one DELETE commit. Reads every file of the table.
    /// Running it again finds nothing and commits nothing.
    /// </summary>
    public async Task<ErasureOutcome> EraseAsync(Func<object?[], bool> isAboutUser, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(isAboutUser);
        while (true)
        {
            var removed = new List<AddFile>();
            var added = new List<AddFile>();
            long rowsRemoved = 0;
            foreach (var file in Snapshot.Files.Values.ToList())
            {
                var rows = await ParquetDataFile.ReadAsync(Root, Definition, file, cancellationToken);
                var kept = rows.Where(row => !isAboutUser(row)).ToList();
                if (kept.Count == rows.Count)
                {
                    continue;
                }
                rowsRemoved += rows.Count - kept.Count;
                removed.Add(file);
                if (kept.Count > 0)
                {
                    added.Add(await ParquetDataFile.WriteAsync(Root, Definition, ParquetDataFile.PartitionOf(Definition, file.PartitionValues), kept, _clock, cancellationToken));
                }
            }
            if (removed.Count == 0)
            {
                return new ErasureOutcome();
            }
            var version = Snapshot.Version + 1;
            var info = new CommitInfo
            {
                Timestamp = Now(),
                Operation = "DELETE",
                OperationParameters = new() { ["predicate"] = "rows about an erased user" },
                OperationMetrics = Metrics(added.Count, added.Sum(file => FileStatistics.RowsOf(file.Stats)), removed),
            };
            var marker = DeltaAction.Of(new TxnAction(ErasureAppIdPrefix + version.ToString(CultureInfo.InvariantCulture), version, info.Timestamp));
            if (CommitReplacing(info, removed, added, dataChange: true, marker) == version)
            {
                return new ErasureOutcome { Version = version, RowsRemoved = rowsRemoved };
            }
        }
    }

    /// <summary>
    /// Past the erasure deadline (<paramref name="purgeAfter"/> after an erasure commit), deletes every file
    /// removed at or before that commit, whatever the grace period: the versions before it can then no longer
    /// be read, so time travel cannot bring an erased user back. The log itself holds no values of text
    /// columns (see <see cref="FileStatistics"/>). Records what it purged as a commit; returns how many files
    /// it deleted (0 when no erasure was due).
    /// </summary>
    public int PurgeErasedVersions(TimeSpan purgeAfter)
    {
        var horizon = Now() - (long)purgeAfter.TotalMilliseconds;
        var purged = Snapshot.TxnVersion(ErasurePurgedAppId);
        var due = Snapshot.Txns.Values
            .Where(txn => txn.AppId.StartsWith(ErasureAppIdPrefix, StringComparison.Ordinal) && txn.Version > purged && txn.LastUpdated <= horizon)
            .Select(txn => txn.Version)
            .DefaultIfEmpty(-1)
            .Max();
        if (due < 0)
        {
            return 0;
        }
        var erased = Log.ReadSnapshot(due);
        var deleted = 0;
        foreach (var path in erased.Tombstones.Keys)
        {
            var full = Path.Combine(Root, path);
            if (File.Exists(full))
            {
                File.Delete(full);
                deleted++;
            }
        }
        Snapshot.ForgetTombstones(erased.Tombstones.Keys);
        var now = Now();
        TryCommitNext(
        [
            DeltaAction.Of(new CommitInfo
            {
                Timestamp = now,
                Operation = "VACUUM END",
                OperationParameters = new() { ["erasureVersion"] = due.ToString(CultureInfo.InvariantCulture) },
                OperationMetrics = new() { ["numDeletedFiles"] = deleted.ToString(CultureInfo.InvariantCulture) },
            }),
            DeltaAction.Of(new TxnAction(ErasurePurgedAppId, due, now)),
        ]);
        return deleted;
    }

    /// <summary>Removes the partitions older than the table's retention, as one commit; null when none are.</summary>
    public long? ApplyRetention(DateOnly today)
    {
        if (Definition.RetentionDays is not { } days || Definition.PartitionColumn is null)
        {
            return null;
        }
        var oldest = today.AddDays(-days);
        var expired = Snapshot.Files.Values
            .Where(file => ParquetDataFile.PartitionOf(Definition, file.PartitionValues) is { } partition && partition < oldest)
            .ToList();
        if (expired.Count == 0)
        {
            return null;
        }
        var info = new CommitInfo
        {
            Timestamp = Now(),
            Operation = "DELETE",
            OperationParameters = new() { ["predicate"] = $"{Definition.PartitionColumn} < '{oldest:yyyy-MM-dd}'" },
            OperationMetrics = Metrics(0, 0, expired),
        };
        return CommitReplacing(info, expired, [], dataChange: true);
    }

    /// <summary>
    /// Deletes files removed longer ago than the grace period, temporary files of crashed writers, and
    /// data files no commit ever added (a writer that crashed between writing and committing).
    /// Returns how many files it deleted.
    /// </summary>
    public int Vacuum()
    {
        var now = _clock.GetUtcNow();
        var horizon = now - _options.RemovedFileGracePeriod;
        var deleted = 0;
        var expired = Snapshot.Tombstones.Values
            .Where(remove => DateTimeOffset.FromUnixTimeMilliseconds(remove.DeletionTimestamp) < horizon)
            .Select(remove => remove.Path)
            .ToList();
        foreach (var path in expired)
        {
            var full = Path.Combine(Root, path);
            if (File.Exists(full))
            {
                File.Delete(full);
                deleted++;
            }
        }
        Snapshot.ForgetTombstones(expired);
        deleted += Log.SweepTemporaryFiles(_options.RemovedFileGracePeriod, now);
        foreach (var path in DataFilesOnDisk())
        {
            var relative = Path.GetRelativePath(Root, path).Replace('\\', '/');
            if (Snapshot.Files.ContainsKey(relative) || Snapshot.Tombstones.ContainsKey(relative))
            {
                continue;
            }
            var isDataFile = relative.EndsWith(".parquet", StringComparison.Ordinal) || relative.EndsWith(ParquetDataFile.InProgressSuffix, StringComparison.Ordinal);
            if (isDataFile && File.GetLastWriteTimeUtc(path) < horizon.UtcDateTime)
            {
                File.Delete(path);
                deleted++;
            }
        }
        return deleted;
    }

    /// <summary>Every file under the table root except the log (which can hold thousands of versions).</summary>
    private IEnumerable<string> DataFilesOnDisk()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }
        var partitions = Directory.EnumerateDirectories(Root)
            .Where(directory => Path.GetFileName(directory) != "_delta_log")
            .SelectMany(directory => Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories));
        return Directory.EnumerateFiles(Root).Concat(partitions);
    }

    private long? CommitReplacing(CommitInfo info, IReadOnlyList<AddFile> removed, IReadOnlyList<AddFile> added, bool dataChange, DeltaAction? marker = null)
    {
        var now = Now();
        var actions = new List<DeltaAction> { DeltaAction.Of(info) };
        if (marker is not null)
        {
            actions.Add(marker);
        }
        actions.AddRange(removed.Select(file => DeltaAction.Of(new RemoveFile
        {
            Path = file.Path,
            DeletionTimestamp = now,
            DataChange = dataChange,
            PartitionValues = file.PartitionValues,
            Size = file.Size,
        })));
        actions.AddRange(added.Select(file => DeltaAction.Of(file with { DataChange = dataChange })));
        if (TryCommitNext(actions) is { } version)
        {
            return version;
        }
        // Another writer committed first: discard this attempt's files; the caller decides whether to redo it.
        foreach (var file in added)
        {
            File.Delete(Path.Combine(Root, file.Path));
        }
        return null;
    }

    private long? TryCommitNext(List<DeltaAction> actions)
    {
        var version = Snapshot.Version + 1;
        if (!Log.TryCommit(version, actions))
        {
            Refresh();
            return null;
        }
        Snapshot.Apply(version, actions);
        Remember(version, actions);
        Log.CheckpointIfDue(Snapshot);
        return version;
    }

    private void Remember(long version, IReadOnlyList<DeltaAction> actions)
    {
        var info = actions.Select(action => action.CommitInfo).FirstOrDefault(commit => commit is not null);
        var adds = actions.Where(action => action.Add is not null).Select(action => action.Add!).ToList();
        var removes = actions.Count(action => action.Remove is not null);
        _history.AddFirst(new CommitRecord
        {
            Version = version,
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(info?.Timestamp ?? 0),
            Operation = info?.Operation ?? "UNKNOWN",
            FilesAdded = adds.Count,
            FilesRemoved = removes,
            RowsAdded = adds.Sum(add => FileStatistics.RowsOf(add.Stats)),
            RowsRemoved = info?.OperationMetrics.TryGetValue("numRemovedRows", out var removedRows) == true ? long.Parse(removedRows, CultureInfo.InvariantCulture) : 0,
            Quality = info?.Quality,
        });
        while (_history.Count > HistoryKept)
        {
            _history.RemoveLast();
        }
    }

    private IEnumerable<AddFile> FilesIn(DateOnly? partition) =>
        Snapshot.Files.Values.Where(file => ParquetDataFile.PartitionOf(Definition, file.PartitionValues) == partition);

    private static Dictionary<string, string> Metrics(int filesAdded, long rowsAdded, List<AddFile> removed) => new()
    {
        ["numFiles"] = filesAdded.ToString(CultureInfo.InvariantCulture),
        ["numOutputRows"] = rowsAdded.ToString(CultureInfo.InvariantCulture),
        ["numRemovedFiles"] = removed.Count.ToString(CultureInfo.InvariantCulture),
        ["numRemovedRows"] = removed.Sum(file => FileStatistics.RowsOf(file.Stats)).ToString(CultureInfo.InvariantCulture),
    };

    private MetadataAction Metadata() => new(
        Id: Guid.NewGuid().ToString(),
        Name: Definition.Name,
        Description: Definition.Description,
        Format: new FileFormat("parquet", []),
        SchemaString: DeltaSchema.Of(Definition),
        PartitionColumns: Definition.PartitionColumn is { } column ? [column] : [],
        Configuration: new()
        {
            ["dataplatform.owner"] = Definition.Owner,
            ["dataplatform.layer"] = Definition.Layer,
            ["dataplatform.mode"] = Definition.Mode.ToString(),
            ["dataplatform.keyColumns"] = string.Join(',', Definition.KeyColumns),
            ["dataplatform.upstream"] = string.Join(',', Definition.Upstream),
            ["dataplatform.retentionDays"] = Definition.RetentionDays?.ToString(CultureInfo.InvariantCulture) ?? "",
        },
        CreatedTime: Now());

    private long Now() => _clock.GetUtcNow().ToUnixTimeMilliseconds();
}
