using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Tables;

namespace DataPlatform.UnitTests.Lake;

/// <summary>The writer says it is flushing exactly while a flush commits, which /health shows as lake.flushing.</summary>
public sealed class WriterFlushingTests
{
    [Fact]
    public async Task The_writer_is_flushing_while_a_commit_is_under_way_and_not_before_or_after()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var lake = new LakeWriterHarness(table => new HeldTable(table, entered, release.Task));
        lake.Writer.Append("bronze.app_events", BronzeRows.Record("k"u8, true, "{}"u8, 0, 1, null, DateTimeOffset.UtcNow, BronzeRows.FromKafka), "kafka:topic_app_events-0", 1);
        Assert.False(lake.Writer.IsFlushing);

        var flush = lake.Writer.FlushAppendsAsync(default);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(lake.Writer.IsFlushing);
        release.SetResult();
        await flush;

        Assert.False(lake.Writer.IsFlushing);
        Assert.Equal(1, await lake.CountAsync("bronze.app_events"));
    }

    /// <summary>A table grain whose commits wait until the test lets them go.</summary>
    private sealed class HeldTable(ITableGrain table, TaskCompletionSource entered, Task release) : ITableGrain
    {
        public async Task<AppendOutcome> AppendAsync(IReadOnlyList<AddFile> files, IReadOnlyList<SourceRange> sources, CommitQuality quality, string writer)
        {
            entered.TrySetResult();
            await release;
            return await table.AppendAsync(files, sources, quality, writer);
        }

        public Task<MergeOutcome> MergeAsync(IReadOnlyList<object?[]> rows, IReadOnlyList<string> deletedKeys) => table.MergeAsync(rows, deletedKeys);

        public Task<ErasureOutcome> EraseUserAsync(string userId) => table.EraseUserAsync(userId);

        public Task<Dictionary<string, long>> GetSourcePositionsAsync() => table.GetSourcePositionsAsync();

        public Task<TableCatalogEntry> GetCatalogEntryAsync() => table.GetCatalogEntryAsync();

        public Task<IReadOnlyList<CommitRecord>> GetHistoryAsync(int limit) => table.GetHistoryAsync(limit);

        public Task MaintainAsync() => table.MaintainAsync();
    }
}
