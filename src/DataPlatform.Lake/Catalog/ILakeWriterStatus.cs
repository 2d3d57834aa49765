namespace DataPlatform.Lake.Catalog;

/// <summary>What a silo's lake writer reports for health: when it last committed, what waits, what failed, per table.</summary>
public interface ILakeWriterStatus
{
    /// <summary>When the writer last committed rows, or null before its first commit.</summary>
    DateTimeOffset? LastFlushAt { get; }

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

/// <summary>One table as a silo's lake writer sees it.</summary>
/// <param name="Table">Qualified table name.</param>
/// <param name="ConsecutiveFailures">Flushes of this table that failed since its last success.</param>
/// <param name="RowsWaiting">Rows buffered for it.</param>
/// <param name="QuarantinedRows">Rows meant for it that went to bronze.quarantine since start.</param>
/// <param name="LastError">The error of its last failed flush, while it keeps failing.</param>
/// <param name="LastFailureAt">When its last flush failed.</param>
/// <param name="LastSuccessAt">When a flush of it last succeeded.</param>
public sealed record TableWriterStatus(
    string Table,
    int ConsecutiveFailures,
    long RowsWaiting,
    long QuarantinedRows,
    string? LastError,
    DateTimeOffset? LastFailureAt,
    DateTimeOffset? LastSuccessAt);
