namespace DataPlatform.Lake.Catalog;

/// <summary>What a silo's lake writer reports for health: when it last committed, what waits, what failed.</summary>
public interface ILakeWriterStatus
{
    /// <summary>When the writer last committed rows, or null before its first commit.</summary>
    DateTimeOffset? LastFlushAt { get; }

    /// <summary>Rows waiting for the next flush.</summary>
    long BufferedRows { get; }

    /// <summary>Rows and files committed since start.</summary>
    long RowsCommitted { get; }
    long FilesCommitted { get; }

    /// <summary>Flushes that failed since the last one that succeeded (their rows wait for the next).</summary>
    int ConsecutiveFailures { get; }
}
