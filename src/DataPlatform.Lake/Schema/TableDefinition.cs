namespace DataPlatform.Lake.Schema;

/// <summary>
/// What a lake table is: its name (<c>layer.table</c>), owner, schema, partitioning, keys, lineage and
/// retention. Rows handed to the lake are arrays in the order of <see cref="Columns"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("lake.TableDefinition")]
public sealed record TableDefinition
{
    /// <summary>Qualified name, e.g. <c>silver.app_events</c>.</summary>
    [Id(0)] public required string Name { get; init; }
    [Id(1)] public required string Description { get; init; }
    [Id(2)] public required string Owner { get; init; }
    [Id(3)] public required IReadOnlyList<LakeColumn> Columns { get; init; }

    /// <summary>The Hive partition column (a Date column written in the path, not in the files), or null.</summary>
    [Id(4)] public string? PartitionColumn { get; init; }

    /// <summary>Columns that identify a row: duplicates are counted per commit; snapshots replace by them.</summary>
    [Id(5)] public IReadOnlyList<string> KeyColumns { get; init; } = [];

    /// <summary>The tables this one is derived from (qualified names).</summary>
    [Id(6)] public IReadOnlyList<string> Upstream { get; init; } = [];

    /// <summary>Partitions older than this many days are removed by retention; null keeps everything.</summary>
    [Id(7)] public int? RetentionDays { get; init; }

    [Id(8)] public TableMode Mode { get; init; } = TableMode.Append;

    /// <summary>Only queries that may see personal data (admins) read it, e.g. the audit log.</summary>
    [Id(9)] public bool AdminOnly { get; init; }

    /// <summary>bronze, silver or gold.</summary>
    public string Layer => Name[..Name.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>The name within its layer.</summary>
    public string Table => Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..];

    /// <summary>The columns stored inside the Parquet files (all but the partition column).</summary>
    public IEnumerable<LakeColumn> DataColumns => Columns.Where(column => column.Name != PartitionColumn);

    /// <summary>Rows grouped by the partition they belong to (one group, keyed null, without partitioning).</summary>
    public IEnumerable<IGrouping<DateOnly?, object?[]>> GroupByPartition(IEnumerable<object?[]> rows)
    {
        var index = PartitionColumn is { } column ? IndexOf(column) : -1;
        return rows.GroupBy(row => index < 0 ? null : (DateOnly?)row[index]);
    }

    /// <summary>The position of a column in a row.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i].Name == column)
            {
                return i;
            }
        }
        throw new ArgumentException($"Table {Name} has no column {column}.", nameof(column));
    }
}
