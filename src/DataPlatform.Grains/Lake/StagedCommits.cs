using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Tables;

namespace DataPlatform.Grains.Lake;

/// <summary>Makes the files a completed checkpoint staged part of their tables.</summary>
public static class StagedCommits
{
    /// <summary>
    /// Commits the staged files, one commit per table, recorded under <paramref name="source"/> with
    /// <paramref name="epoch"/> as version. A table that already holds that epoch refuses the commit as
    /// stale, so committing an epoch again (a coordinator that took over) changes nothing.
    /// </summary>
    public static async Task CommitAsync(IGrainFactory grains, string source, long epoch, IReadOnlyList<StagedAppend> staged, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(staged);
        foreach (var table in staged.GroupBy(append => append.Table, StringComparer.Ordinal))
        {
            var files = table.SelectMany(append => append.Files).ToList();
            if (files.Count == 0)
            {
                continue;
            }
            var quality = CommitQuality.Combine([.. table.Select(append => append.Quality)]);
            await grains.GetGrain<ITableGrain>(table.Key)
                .AppendAsync(files, [new SourceRange(source, epoch, epoch)], quality, $"checkpoint {epoch}")
                .WaitAsync(timeout);
        }
    }
}
