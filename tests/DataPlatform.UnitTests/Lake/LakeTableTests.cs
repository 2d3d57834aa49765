using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Tables;

namespace DataPlatform.UnitTests.Lake;

public sealed class LakeTableTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 23);
    private readonly TestLake _lake = new();

    private async Task<long> AppendAsync(LakeTable table, IEnumerable<int> ids, DateOnly? day = null, SourceRange? source = null)
    {
        var rows = ids.Select(n => TestLake.Event(n, day ?? Day)).ToList();
        var file = await ParquetDataFile.WriteAsync(table.Root, table.Definition, day ?? Day, rows, _lake.Clock, default);
        var outcome = table.Append([file], source is null ? [] : [source], null, "test");
        return outcome.Version ?? throw new InvalidOperationException("append refused");
    }

    [Fact]
    public async Task A_file_is_visible_only_under_its_final_name_and_its_hash_is_logged()
    {
        var table = _lake.Open(TestLake.Events);
        var rows = Enumerable.Range(1, 100).Select(n => TestLake.Event(n, Day)).ToList();
        var file = await ParquetDataFile.WriteAsync(table.Root, table.Definition, Day, rows, _lake.Clock, default);

        Assert.StartsWith("event_date=2026-11-23/part-", file.Path, StringComparison.Ordinal);
        var onDisk = Directory.EnumerateFiles(table.Root, "*", SearchOption.AllDirectories).Where(p => !p.Contains("_delta_log", StringComparison.Ordinal)).ToList();
        Assert.Equal([Path.Combine(table.Root, file.Path)], onDisk);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(onDisk[0])));
        Assert.Equal(hash, FileStatistics.Sha256Of(file.Stats));
        Assert.Equal(100, FileStatistics.RowsOf(file.Stats));
        var read = await ParquetDataFile.ReadAsync(table.Root, table.Definition, file, default);
        Assert.Equal(rows.Select(r => r[0]), read.Select(r => r[0]));
        Assert.Equal(rows[5], read[5]);
    }

    [Fact]
    public void Two_writers_can_never_both_win_a_version()
    {
        var log = new DeltaLog(Path.Combine(_lake.Root, "race"));
        const int Versions = 50;
        const int Writers = 8;
        var winners = new int[Versions];
        using var start = new Barrier(Writers);
        var threads = Enumerable.Range(0, Writers).Select(writer => new Thread(() =>
        {
            for (var version = 0; version < Versions; version++)
            {
                start.SignalAndWait();
                if (log.TryCommit(version, [DeltaAction.Of(new CommitInfo { Timestamp = writer, Operation = $"WRITE {writer}" })]))
                {
                    Interlocked.Increment(ref winners[version]);
                }
            }
        })).ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());

        Assert.All(winners, count => Assert.Equal(1, count));
        Assert.Single(log.ReadCommit(Versions - 1));
        Assert.Empty(Directory.EnumerateFiles(log.LogDirectory, ".*"));
    }

    [Fact]
    public async Task Checkpoints_give_the_same_snapshot_as_replaying_every_commit()
    {
        var table = _lake.Open(TestLake.Events);
        for (var i = 0; i < 23; i++)
        {
            await AppendAsync(table, [i]);
        }
        Assert.True(File.Exists(Path.Combine(table.Log.CheckpointDirectory, DeltaLog.CommitFileName(10))));
        Assert.True(File.Exists(Path.Combine(table.Log.CheckpointDirectory, DeltaLog.CommitFileName(20))));

        Assert.Equal("20", File.ReadAllText(Path.Combine(table.Log.CheckpointDirectory, "_last")));
        Assert.Equal(23, table.Log.LatestVersion());

        var fromCheckpoint = table.Log.ReadSnapshot();
        Directory.Delete(table.Log.CheckpointDirectory, recursive: true);
        var replayed = table.Log.ReadSnapshot();
        Assert.Equal(23, table.Log.LatestVersion());
        Assert.Equal(23, fromCheckpoint.Version);
        Assert.Equal(replayed.Files.Keys.Order(), fromCheckpoint.Files.Keys.Order());
        Assert.Equal(23, fromCheckpoint.RowCount);
        Assert.Equal(12, table.Log.ReadSnapshot(12).RowCount);
    }

    [Fact]
    public async Task An_append_that_replays_recorded_positions_is_refused_with_them()
    {
        var table = _lake.Open(TestLake.Events);
        await AppendAsync(table, [1, 2, 3], source: new SourceRange("topic-0", 100, 102));

        var replay = await ParquetDataFile.WriteAsync(table.Root, table.Definition, Day, [TestLake.Event(3, Day)], _lake.Clock, default);
        var outcome = table.Append([replay], [new SourceRange("topic-0", 102, 103)], null, "test");

        Assert.False(outcome.Committed);
        Assert.Equal(102, outcome.StalePositions["topic-0"]);
        Assert.Equal(3, table.Snapshot.RowCount);
        Assert.Equal(102, table.Log.ReadSnapshot().TxnVersion("topic-0"));
    }

    [Fact]
    public async Task A_second_owner_of_the_table_catches_up_instead_of_overwriting()
    {
        var first = _lake.Open(TestLake.Events);
        var second = _lake.Open(TestLake.Events);
        await AppendAsync(first, [1]);
        var version = await AppendAsync(second, [2]);

        Assert.Equal(2, version);
        Assert.Equal(2, second.Snapshot.RowCount);
        Assert.Equal(2, _lake.Open(TestLake.Events).Snapshot.RowCount);
    }

    [Fact]
    public async Task Keyed_snapshots_replace_rows_by_key_within_their_partition()
    {
        var table = _lake.Open(TestLake.Totals);
        await table.MergeAsync([[Day, "u1", 10m], [Day, "u2", 20m]], default);
        await table.MergeAsync([[Day, "u1", 15m], [Day.AddDays(-1), "u1", 5m]], default);

        var result = await _lake.Engine().ExecuteAsync("SELECT date, user_id, total FROM gold.test_totals ORDER BY date, user_id", null, default);
        Assert.Equal(3, result.RowCount);
        Assert.Equal([5m, 15m, 20m], result.Rows.Select(r => r[2].GetDecimal()));
        Assert.Equal(2, table.Snapshot.Files.Count);
    }

    [Fact]
    public async Task A_merge_removes_deleted_keys_from_whichever_partition_holds_them()
    {
        var table = _lake.Open(TestLake.Totals);
        object?[][] rows = [[Day, "u1", 10m], [Day, "u2", 20m], [Day.AddDays(-1), "u3", 5m]];
        await table.MergeAsync(rows, default);
        var keys = QualityProfiler.KeyIndexes(table.Definition);
        string KeyOf(object?[] row) => QualityProfiler.KeyOf(table.Definition, row, keys);

        var outcome = await table.MergeAsync([[Day, "u2", 25m]], [KeyOf(rows[0]), KeyOf(rows[2])], default);

        Assert.NotNull(outcome.Version);
        var result = await _lake.Engine().ExecuteAsync("SELECT user_id, total FROM gold.test_totals ORDER BY user_id", null, default);
        Assert.Equal([("u2", 25m)], result.Rows.Select(r => (r[0].GetString(), r[1].GetDecimal())));
        Assert.Single(table.Snapshot.Files);
        Assert.Null((await table.MergeAsync([], ["nobody"], default)).Version);
    }

    [Fact]
    public async Task Queries_during_compaction_see_the_same_rows_as_before_it()
    {
        var table = _lake.Open(TestLake.Events);
        for (var i = 0; i < 12; i++)
        {
            await AppendAsync(table, Enumerable.Range(i * 50, 50));
        }
        const string sql = "SELECT count(*) AS n, count(DISTINCT event_id) AS ids, sum(\"offset\") AS total FROM silver.test_events";
        var engine = _lake.Engine();
        var before = (await engine.ExecuteAsync(sql, null, default)).Rows[0].GetRawText();

        using var stop = new CancellationTokenSource();
        var answers = new List<string>();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var row = (await engine.ExecuteAsync(sql, null, default)).Rows[0].GetRawText();
                lock (answers)
                {
                    answers.Add(row);
                }
            }
        })).ToList();
        await Task.Delay(50);
        var compacted = await table.CompactAsync(default);
        await Task.Delay(50);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.NotNull(compacted);
        Assert.Single(table.Snapshot.Files);
        Assert.Equal("OPTIMIZE", table.History.First().Operation);
        Assert.NotEmpty(answers);
        Assert.All(answers, row => Assert.Equal(before, row));
        Assert.Equal(before, (await engine.ExecuteAsync(sql, null, default)).Rows[0].GetRawText());
        Assert.StartsWith("[600,", before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Time_travel_reads_older_versions_until_retention_and_vacuum_remove_them()
    {
        var table = _lake.Open(TestLake.Events);
        var old = Day.AddDays(-40);
        var v1 = await AppendAsync(table, [1, 2, 3], old);
        await AppendAsync(table, [4, 5], Day);
        var engine = _lake.Engine();

        var retained = table.ApplyRetention(Day);
        Assert.NotNull(retained);
        Assert.Equal("DELETE", table.History.First().Operation);
        Assert.Equal(2L, (await engine.ExecuteAsync("SELECT count(*) FROM silver.test_events", null, default)).Rows[0][0].GetInt64());
        var travelled = await engine.ExecuteAsync($"SELECT count(*) FROM silver.test_events VERSION AS OF {v1}", null, default);
        Assert.Equal(3L, travelled.Rows[0][0].GetInt64());

        Assert.Equal(0, table.Vacuum());
        _lake.Clock.Advance(_lake.Options.RemovedFileGracePeriod + TimeSpan.FromMinutes(1));
        Assert.Equal(1, table.Vacuum());
        var gone = await Assert.ThrowsAsync<DataPlatform.Lake.Sql.LakeQueryException>(() =>
            engine.ExecuteAsync($"SELECT count(*) FROM silver.test_events VERSION AS OF {v1}", null, default));
        Assert.Contains("can no longer be read", gone.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DataPlatform.Lake.Sql.LakeQueryException>(() =>
            engine.ExecuteAsync("SELECT count(*) FROM silver.test_events VERSION AS OF 99", null, default));
    }

    [Fact]
    public async Task A_retention_from_configuration_replaces_the_tables_own()
    {
        var longer = new DataPlatform.Lake.LakeOptions { RetentionDays = { [TestLake.Events.Name] = 60 } };
        var table = _lake.Open(longer.WithConfiguredRetention(TestLake.Events));
        await AppendAsync(table, [1, 2], Day.AddDays(-40));

        Assert.Equal(60, table.Definition.RetentionDays);
        Assert.Null(table.ApplyRetention(Day));
        Assert.NotNull(table.ApplyRetention(Day.AddDays(30)));
        Assert.Same(TestLake.Events, new DataPlatform.Lake.LakeOptions().WithConfiguredRetention(TestLake.Events));
    }

    [Fact]
    public async Task Vacuum_deletes_files_no_commit_added_once_they_are_old()
    {
        var table = _lake.Open(TestLake.Events);
        var orphan = await ParquetDataFile.WriteAsync(table.Root, table.Definition, Day, [TestLake.Event(1, Day)], _lake.Clock, default);
        var orphanPath = Path.Combine(table.Root, orphan.Path);
        var temporary = Path.Combine(Path.GetDirectoryName(orphanPath)!, ".part-x.parquet" + ParquetDataFile.InProgressSuffix);
        await File.WriteAllTextAsync(temporary, "half a file");
        Assert.Equal(0, table.Vacuum());
        File.SetLastWriteTimeUtc(orphanPath, _lake.Clock.GetUtcNow().UtcDateTime.AddDays(-1));
        File.SetLastWriteTimeUtc(temporary, _lake.Clock.GetUtcNow().UtcDateTime.AddDays(-1));

        Assert.Equal(2, table.Vacuum());
        Assert.False(File.Exists(orphanPath));
        Assert.False(File.Exists(temporary));
    }

    [Fact]
    public async Task The_log_is_plain_delta_json_with_protocol_metadata_add_and_commit_info()
    {
        var table = _lake.Open(TestLake.Events);
        await AppendAsync(table, [1, 2], source: new SourceRange("topic_app_events-3", 7, 8));
        var created = File.ReadAllLines(Path.Combine(table.Log.LogDirectory, "00000000000000000000.json"));
        var appended = File.ReadAllLines(Path.Combine(table.Log.LogDirectory, "00000000000000000001.json"));

        Assert.Contains(created, line => line.StartsWith("{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}", StringComparison.Ordinal));
        Assert.Contains(created, line => line.Contains("\"partitionColumns\":[\"event_date\"]", StringComparison.Ordinal)
            && line.Contains("\\u0022pii\\u0022:true", StringComparison.Ordinal));
        Assert.Contains(appended, line => line.StartsWith("{\"txn\":{\"appId\":\"topic_app_events-3\",\"version\":8", StringComparison.Ordinal));
        Assert.Contains(appended, line => line.StartsWith("{\"add\":{\"path\":\"event_date=2026-11-23/part-", StringComparison.Ordinal)
            && line.Contains("\"partitionValues\":{\"event_date\":\"2026-11-23\"}", StringComparison.Ordinal)
            && line.Contains("numRecords", StringComparison.Ordinal) && line.Contains("sha256", StringComparison.Ordinal));
        Assert.Contains(appended, line => line.StartsWith("{\"commitInfo\":{\"timestamp\":", StringComparison.Ordinal));
    }

    public void Dispose() => _lake.Dispose();
}
