namespace DataPlatform.Lake.Sql;

/// <summary>A column of a query result: its name and DuckDB type.</summary>
public sealed record QueryColumn(string Name, string Type);

/// <summary>The answer to a lake query: columns, rows (at most the limit), whether more rows existed, and how long it took.</summary>
public sealed record QueryResult(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<object?[]> Rows, bool Truncated, long ElapsedMs)
{
    public int RowCount => Rows.Count;
}
