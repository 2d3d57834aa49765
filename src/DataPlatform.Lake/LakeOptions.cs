using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake;

/// <summary>Where the lake lives and how it is written, maintained and queried (configuration section "Lake").</summary>
public sealed class LakeOptions
{
    public const string SectionName = "Lake";

    /// <summary>The lake's root directory; tables live under <c>layer/table</c>.</summary>
    public string Root { get; set; } = Path.Combine("data", "lake");

    /// <summary>
    /// Names the Kafka cluster whose offsets the tables' streaming positions (txn) refer to. An embedded
    /// Kafka starts empty, its offsets from 0, so each start of one gets its own name.
    /// </summary>
    public string SourceId { get; set; } = "kafka";

    /// <summary>Writers flush their buffered rows at least this often.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A writer flushes a table as soon as this many rows wait for it.</summary>
    public int MaxBufferedRows { get; set; } = 100_000;

    /// <summary>How often the gold tables are rewritten from the grains' state.</summary>
    public TimeSpan GoldSnapshotInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Commits between two checkpoints of a table's log.</summary>
    public int CheckpointInterval { get; set; } = Log.DeltaLog.DefaultCheckpointInterval;

    /// <summary>How often each table looks for compaction, retention and files to delete.</summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A partition with at least this many small files is compacted into one.</summary>
    public int CompactionMinFiles { get; set; } = 8;

    /// <summary>
    /// Files smaller than this are merged by compaction; larger ones, compaction's own output included,
    /// are left alone, so a partition is never rewritten again and again as it grows.
    /// </summary>
    public long CompactionSmallFileBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// Removed files (compaction, retention) are deleted this long after their removal, so queries
    /// still reading an older snapshot finish and time travel reaches back this far.
    /// </summary>
    public TimeSpan RemovedFileGracePeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The erasure deadline: files that still hold an erased user (the ones an erasure rewrote, and every file
    /// removed before it) are deleted at the latest this long after the erasure, even when
    /// <see cref="RemovedFileGracePeriod"/> is longer, so time travel cannot bring the user back.
    /// </summary>
    public TimeSpan ErasurePurgeAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The data-quality expectations file (docs/quality.md), relative to the program's directory unless rooted;
    /// empty for none (the silo's appsettings.json names its <c>config/expectations.json</c>). A file that cannot be
    /// read or does not fit the tables stops the silo with a sentence.
    /// </summary>
    public string ExpectationsFile { get; set; } = "";

    /// <summary>Rows a query returns when it asks for no limit.</summary>
    public int DefaultQueryRows { get; set; } = 1000;

    /// <summary>The most rows a query may return.</summary>
    public int MaxQueryRows { get; set; } = 10_000;

    /// <summary>A query running longer is cancelled.</summary>
    public TimeSpan QueryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The memory one query's DuckDB may use (bytes); a query needing more is refused.</summary>
    public long QueryMemoryLimit { get; set; } = 512L * 1024 * 1024;

    /// <summary>The threads one query's DuckDB may use.</summary>
    public int QueryThreads { get; set; } = 2;

    /// <summary>
    /// The disk one query may spill to (bytes), in a directory of its own under the system's temporary
    /// directory that is deleted after the query; 0 turns spilling off.
    /// </summary>
    public long QuerySpillLimit { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Queries that may run at once; more wait up to <see cref="QueryQueueTimeout"/>, then are turned away.</summary>
    public int MaxConcurrentQueries { get; set; } = 4;

    /// <summary>How long a query waits for one of the <see cref="MaxConcurrentQueries"/> places.</summary>
    public TimeSpan QueryQueueTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most JSON text (UTF-16 characters) one answer may hold; a larger result is refused.</summary>
    public long MaxQueryResultChars { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Retention in days per table (<c>Lake:RetentionDays:&lt;layer.table&gt;</c>), in place of the table's own:
    /// maintenance removes the partitions older than that as a new commit, and the catalog shows it.
    /// </summary>
    public Dictionary<string, int> RetentionDays { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The table as this lake keeps it: with its configured retention, when there is one.</summary>
    public TableDefinition WithConfiguredRetention(TableDefinition table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return RetentionDays.TryGetValue(table.Name, out var days) ? table with { RetentionDays = days } : table;
    }
}
