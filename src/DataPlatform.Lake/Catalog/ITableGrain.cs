using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Tables;

namespace DataPlatform.Lake.Catalog;

/// <summary>
/// One lake table (key <c>layer.table</c>): the commit point of its transaction log and its catalog
/// entry. Writers write Parquet files and ask the grain to commit them; readers read the log.
/// </summary>
[Alias("dp.ITableGrain")]
public interface ITableGrain : IGrainWithStringKey
{
    /// <summary>Commits files a writer has written (see <see cref="LakeTable.Append"/>).</summary>
    [Alias("Append")]
    Task<AppendOutcome> AppendAsync(IReadOnlyList<AddFile> files, IReadOnlyList<SourceRange> sources, CommitQuality quality, string writer);

    /// <summary>
    /// Replaces rows by key and removes the rows of <paramref name="deletedKeys"/> (keyed snapshot tables); returns the
    /// version (null when nothing was written) and the rows to quarantine.
    /// </summary>
    [Alias("Merge")]
    Task<MergeOutcome> MergeAsync(IReadOnlyList<object?[]> rows, IReadOnlyList<string> deletedKeys);

    /// <summary>
    /// Removes the rows about a user (<see cref="UserRows.MatcherFor"/>) as one commit; nothing when none is left.
    /// Reads every file of the table, so it may take long on a large one.
    /// </summary>
    [Alias("EraseUser"), ResponseTimeout("00:10:00")]
    Task<ErasureOutcome> EraseUserAsync(string userId);

    /// <summary>The highest committed position per source (appId = topic-partition).</summary>
    [Alias("GetSourcePositions")]
    Task<Dictionary<string, long>> GetSourcePositionsAsync();

    [Alias("GetCatalogEntry")]
    Task<TableCatalogEntry> GetCatalogEntryAsync();

    /// <summary>The newest commits first.</summary>
    [Alias("GetHistory")]
    Task<IReadOnlyList<CommitRecord>> GetHistoryAsync(int limit);

    /// <summary>Runs compaction, retention and the deletion of expired files now (they also run on a timer).</summary>
    [Alias("Maintain")]
    Task MaintainAsync();
}
