namespace DataPlatform.Lake.Catalog;

/// <summary>What a silo's lake writer reports for health: when it last committed, what waits, what failed, per table.</summary>
public interface ILakeWriterStatus
{
    /// <summary>When the writer last committed rows, or null before its first commit.</summary>
    DateTimeOffset? LastFlushAt { get; }

    /// <summary>True while a flush writes or commits rows (the writer flushes one batch of tables at a time).</summary>
    bool IsFlushing { get; }

    /// <summary>Rows waiting for the next flush.</summary>
    long BufferedRows { get; }

    /// <summary>Rows and files committed since start.</summary>
    long RowsCommitted { get; }
    long FilesCommitted { get; }

    /// <summary>The most flushes any one table has failed in a row (their rows wait for the next); another table's success does not reset it.</summary>
    int ConsecutiveFailures { get; }

    /// <summary>Each table the writer has handled since start, by name.</summary>
    IReadOnlyList<TableWriterStatus> Tables { get; }
}
