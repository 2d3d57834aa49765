using DataPlatform.Contracts.Telemetry;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Lake;

/// <summary>
/// One lake table: the single place its commits are made, and its catalog entry. Its state is the
/// table's transaction log itself, read again on activation, so a new activation on any silo picks up
/// exactly what was committed. Compaction, retention and the deletion of expired files run on a timer. Every
/// version a call adds to the log is counted (<see cref="PlatformMetricNames.LakeCommits"/>).
/// </summary>
public sealed partial class TableGrain(IOptions<LakeOptions> options, TimeProvider clock, PlatformMetrics metrics, ILogger<TableGrain> logger) : Grain, ITableGrain
{
    private const int RecentQualityCommits = 20;
    private LakeTable? _table;
    private IGrainTimer? _maintenance;

    private LakeTable Table => _table ?? throw new InvalidOperationException("The table grain is not active.");

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var name = this.GetPrimaryKeyString();
        var definition = options.Value.WithConfiguredRetention(PlatformTables.Find(name) ?? throw new ArgumentException($"{name} is not a lake table."));
        _table = new LakeTable(Path.GetFullPath(options.Value.Root), definition, options.Value, clock);
        await Task.Run(_table.Open, cancellationToken);
        _maintenance = this.RegisterGrainTimer(RunMaintenanceAsync, new GrainTimerCreationOptions(options.Value.MaintenanceInterval, options.Value.MaintenanceInterval)
        {
            KeepAlive = true,
        });
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _maintenance?.Dispose();
        return Task.CompletedTask;
    }

    public Task<AppendOutcome> AppendAsync(IReadOnlyList<AddFile> files, IReadOnlyList<SourceRange> sources, CommitQuality quality, string writer)
    {
        var before = Table.Snapshot.Version;
        var outcome = Table.Append(files, sources, quality, writer);
        CountCommitsAfter(before);
        return Task.FromResult(outcome);
    }

    public async Task<MergeOutcome> MergeAsync(IReadOnlyList<object?[]> rows, IReadOnlyList<string> deletedKeys)
    {
        var before = Table.Snapshot.Version;
        var outcome = await Table.MergeAsync(rows, deletedKeys, CancellationToken.None);
        CountCommitsAfter(before);
        return outcome;
    }

    public async Task<ErasureOutcome> EraseUserAsync(string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        var before = Table.Snapshot.Version;
        var outcome = await Table.EraseAsync(UserRows.MatcherFor(Table.Definition, userId), CancellationToken.None);
        CountCommitsAfter(before);
        return outcome;
    }

    public Task<Dictionary<string, long>> GetSourcePositionsAsync() =>
        Task.FromResult(Table.Snapshot.Txns.Values
            .Where(txn => !txn.AppId.StartsWith(LakeTable.ErasureAppIdPrefix, StringComparison.Ordinal) && txn.AppId != LakeTable.ErasurePurgedAppId)
            .ToDictionary(txn => txn.AppId, txn => txn.Version, StringComparer.Ordinal));

    public Task<IReadOnlyList<CommitRecord>> GetHistoryAsync(int limit) =>
        Task.FromResult<IReadOnlyList<CommitRecord>>([.. Table.History.Take(Math.Max(0, limit))]);

    public Task<TableCatalogEntry> GetCatalogEntryAsync()
    {
        var table = Table;
        var snapshot = table.Snapshot;
        var partitions = snapshot.Files.Values
            .GroupBy(file => table.Definition.PartitionColumn is { } column ? file.PartitionValues.GetValueOrDefault(column) : null)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .Select(group => new PartitionInfo(group.Key, group.Count(), group.Sum(file => snapshot.RowsOf(file.Path)), group.Sum(file => file.Size)))
            .ToList();
        var writes = table.History.Where(commit => commit.Quality is not null).Take(RecentQualityCommits).ToList();
        var last = table.History.FirstOrDefault();
        return Task.FromResult(new TableCatalogEntry
        {
            Definition = table.Definition,
            Version = snapshot.Version,
            RowCount = snapshot.RowCount,
            FileCount = snapshot.Files.Count,
            SizeBytes = snapshot.SizeBytes,
            LastUpdated = last is { Version: > 0 } ? last.Timestamp : null,
            LastOperation = last?.Operation,
            Partitions = partitions,
            LatestQuality = writes.FirstOrDefault()?.Quality,
            RecentQuality = writes.Count == 0 ? null : CommitQuality.Combine([.. writes.Select(commit => commit.Quality!)]),
        });
    }

    public Task MaintainAsync() => RunMaintenanceAsync(CancellationToken.None);

    private async Task RunMaintenanceAsync(CancellationToken cancellationToken)
    {
        var table = Table;
        var before = table.Snapshot.Version;
        try
        {
            table.Refresh();
            // Versions another writer committed are theirs to count.
            before = table.Snapshot.Version;
            if (await table.CompactAsync(cancellationToken) is { } compacted)
            {
                LogMaintenance(logger, table.Definition.Name, "compacted", compacted);
            }
            if (table.ApplyRetention(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)) is { } retained)
            {
                LogMaintenance(logger, table.Definition.Name, "applied retention", retained);
            }
            if (table.PurgeErasedVersions(options.Value.ErasurePurgeAfter) is > 0 and var purged)
            {
                LogMaintenance(logger, table.Definition.Name, $"deleted {purged} file(s) past the erasure deadline", table.Snapshot.Version);
            }
            table.Vacuum();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            LogMaintenanceFailed(logger, ex, table.Definition.Name);
        }
        CountCommitsAfter(before);
    }

    /// <summary>Counts the versions of the table's history newer than <paramref name="version"/>, by operation.</summary>
    private void CountCommitsAfter(long version)
    {
        var table = Table;
        foreach (var commit in table.History.TakeWhile(commit => commit.Version > version))
        {
            metrics.LakeCommitted(table.Definition.Name, table.Definition.Layer, commit.Operation);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Table} {Action} at version {Version}")]
    private static partial void LogMaintenance(ILogger logger, string table, string action, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance of {Table} failed; it runs again on the next timer")]
    private static partial void LogMaintenanceFailed(ILogger logger, Exception exception, string table);
}
