namespace DataPlatform.Lake.Schema;

/// <summary>
/// How rows of one table are made from a <typeparamref name="T"/>: each column is named once, next to the value
/// that fills it, and the row comes out in the table's column order. Making the map checks that it names every
/// column of the table exactly once and nothing else, so a map that does not fit its table fails where it is
/// declared (the first use of its class), before any row reaches a file; two columns swapped read as swapped.
/// </summary>
public sealed class RowMap<T>
{
    private readonly Func<T, object?>[] _values;

    public RowMap(TableDefinition table, IReadOnlyList<(string Column, Func<T, object?> Value)> columns)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        Table = table;
        var named = new Dictionary<string, Func<T, object?>>(StringComparer.Ordinal);
        foreach (var (column, value) in columns)
        {
            if (!table.Columns.Any(candidate => candidate.Name == column))
            {
                throw new ArgumentException($"{table.Name} has no column {column}.", nameof(columns));
            }
            if (!named.TryAdd(column, value))
            {
                throw new ArgumentException($"{table.Name}: column {column} is filled twice.", nameof(columns));
            }
        }
        var missing = table.Columns.Select(column => column.Name).Where(name => !named.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException($"{table.Name}: nothing fills {string.Join(", ", missing)}.", nameof(columns));
        }
        _values = [.. table.Columns.Select(column => named[column.Name])];
    }

    public TableDefinition Table { get; }

    /// <summary>The row of <paramref name="source"/>, in the table's column order.</summary>
    public object?[] Row(T source)
    {
        var row = new object?[_values.Length];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = _values[i](source);
        }
        return row;
    }
}
