using DataPlatform.Grains.Lake;

namespace DataPlatform.UnitTests.Lake;

/// <summary>
/// Rows grains produce are staged as files by a checkpoint and become visible only when the completed
/// checkpoint commits them under its epoch, which a table takes once.
/// </summary>
public sealed class CheckpointRowsTests : IDisposable
{
    private const string Orders = "silver.orders";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly LakeWriterHarness _lake = new();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public async Task Staged_rows_stay_invisible_until_their_epoch_is_committed_and_a_second_commit_of_the_epoch_changes_nothing()
    {
        _lake.Writer.AppendAtCheckpoint(Orders, QuarantineTests.Order("o1", "12.50"));
        _lake.Writer.AppendAtCheckpoint(Orders, QuarantineTests.Order("o2", "7.00"));

        var staged = await _lake.Writer.StageCheckpointRowsAsync(default);

        Assert.Equal(0, await _lake.CountAsync(Orders));
        Assert.Equal(0, _lake.Writer.BufferedRows);

        await StagedCommits.CommitAsync(_lake.Grains, "checkpoint:a", 3, staged, Timeout);
        await StagedCommits.CommitAsync(_lake.Grains, "checkpoint:a", 3, staged, Timeout);

        Assert.Equal(["o1", "o2"], (await _lake.QueryAsync($"SELECT order_id FROM {Orders} ORDER BY 1")).Select(row => (string)row[0]!));
    }

    [Fact]
    public async Task Rows_a_staged_table_refuses_are_staged_for_the_quarantine_with_it()
    {
        _lake.Writer.AppendAtCheckpoint(Orders, QuarantineTests.Order("o1", "12.50"));
        _lake.Writer.AppendAtCheckpoint(Orders, QuarantineTests.Order("o2", "99999999999999999999.99"));

        var staged = await _lake.Writer.StageCheckpointRowsAsync(default);

        Assert.Equal(0, await _lake.CountAsync("bronze.quarantine"));
        await StagedCommits.CommitAsync(_lake.Grains, "checkpoint:a", 1, staged, Timeout);
        Assert.Equal(1, await _lake.CountAsync(Orders));
        Assert.Equal(1, await _lake.CountAsync("bronze.quarantine"));
    }

    [Fact]
    public async Task A_store_that_starts_again_at_epoch_one_commits_its_rows_under_its_own_source()
    {
        _lake.Writer.AppendAtCheckpoint(Orders, QuarantineTests.Order("o1", "12.50"));
        await StagedCommits.CommitAsync(_lake.Grains, "checkpoint:before-restart", 5, await _lake.Writer.StageCheckpointRowsAsync(default), Timeout);

        _lake.Writer.AppendAtCheckpoint(Orders, QuarantineTests.Order("o2", "7.00"));
        await StagedCommits.CommitAsync(_lake.Grains, "checkpoint:after-restart", 1, await _lake.Writer.StageCheckpointRowsAsync(default), Timeout);

        Assert.Equal(2, await _lake.CountAsync(Orders));
    }

    [Fact]
    public async Task Rows_staged_for_an_epoch_that_never_completes_are_never_seen_and_the_replay_commits_them_once()
    {
        _lake.Writer.AppendAtCheckpoint(Orders, QuarantineTests.Order("o1", "12.50"));
        await _lake.Writer.StageCheckpointRowsAsync(default);

        // The epoch failed: the cluster rolled back and its replay produced the row again, in the same epoch number.
        _lake.Writer.AppendAtCheckpoint(Orders, QuarantineTests.Order("o1", "12.50"));
        await StagedCommits.CommitAsync(_lake.Grains, "checkpoint:a", 4, await _lake.Writer.StageCheckpointRowsAsync(default), Timeout);

        Assert.Equal(1, await _lake.CountAsync(Orders));
    }

    [Fact]
    public async Task Snapshot_rows_of_grain_state_are_merged_only_once_the_checkpoint_that_holds_them_completed()
    {
        var day = new DateOnly(2026, 11, 27);
        _lake.Writer.UpsertAtCheckpoint(DailySales, "day", Sales(day, orders: 3));
        await _lake.FlushAsync();
        Assert.Equal(0, await _lake.CountAsync(DailySales));

        // The flush of checkpoint 5 holds the rows so far; a row after it belongs to the next epoch.
        _lake.Writer.HoldCheckpointSnapshots(5);
        _lake.Writer.UpsertAtCheckpoint(DailySales, "day", Sales(day, orders: 4));
        _lake.Writer.ReleaseCheckpointSnapshots(4);
        await _lake.FlushAsync();
        Assert.Equal(0, await _lake.CountAsync(DailySales));

        _lake.Writer.ReleaseCheckpointSnapshots(5);
        await _lake.FlushAsync();
        Assert.Equal(3L, (await _lake.QueryAsync($"SELECT orders FROM {DailySales}")).Single()[0]);

        _lake.Writer.HoldCheckpointSnapshots(6);
        _lake.Writer.ReleaseCheckpointSnapshots(6);
        await _lake.FlushAsync();
        Assert.Equal(4L, (await _lake.QueryAsync($"SELECT orders FROM {DailySales}")).Single()[0]);
        Assert.Equal(0, _lake.Writer.BufferedRows);
    }

    [Fact]
    public async Task A_roll_back_drops_the_rows_of_checkpoints_that_did_not_complete()
    {
        HoldOneRowForCheckpoint8AndBufferAnother();

        _lake.Writer.DiscardCheckpointRows(completedEpoch: 7);
        _lake.Writer.ReleaseCheckpointSnapshots(7);
        await _lake.FlushAsync();

        Assert.Equal(0, await _lake.CountAsync(DailySales));
        Assert.Equal(0, _lake.Writer.BufferedRows);
    }

    [Fact]
    public async Task A_roll_back_to_the_checkpoint_that_holds_rows_keeps_them_though_its_resume_never_came()
    {
        // Checkpoint 8 completed, but this silo's resume was lost; the cluster rolls back to 8.
        HoldOneRowForCheckpoint8AndBufferAnother();

        _lake.Writer.DiscardCheckpointRows(completedEpoch: 8);
        await _lake.FlushAsync();

        Assert.Equal(1L, (await _lake.QueryAsync($"SELECT orders FROM {DailySales}")).Single()[0]);
        Assert.Equal(0, _lake.Writer.BufferedRows);
    }

    /// <summary>A row held for checkpoint 8 (one order) and a row written after its flush (two orders).</summary>
    private void HoldOneRowForCheckpoint8AndBufferAnother()
    {
        _lake.Writer.UpsertAtCheckpoint(DailySales, "held", Sales(new DateOnly(2026, 11, 26), orders: 1));
        _lake.Writer.HoldCheckpointSnapshots(8);
        _lake.Writer.UpsertAtCheckpoint(DailySales, "pending", Sales(new DateOnly(2026, 11, 27), orders: 2));
    }

    private const string DailySales = "gold.daily_sales";

    private static object?[] Sales(DateOnly day, long orders) => [day, orders, 10m * orders, 10m];
}
