namespace DataPlatform.Lake.Schema;

/// <summary>How new rows reach a table.</summary>
public enum TableMode
{
    /// <summary>Rows are appended by writers (bronze and silver).</summary>
    Append,

    /// <summary>
    /// Rows are snapshots keyed by <see cref="TableDefinition.KeyColumns"/>: a newer row replaces the row
    /// with the same key, by rewriting the partitions it touches (gold).
    /// </summary>
    KeyedSnapshot,
}
