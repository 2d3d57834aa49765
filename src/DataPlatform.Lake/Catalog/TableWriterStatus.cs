namespace DataPlatform.Lake.Catalog;

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
