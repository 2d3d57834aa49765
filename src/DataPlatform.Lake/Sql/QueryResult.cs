using System.Text.Json;

namespace DataPlatform.Lake.Sql;

/// <summary>A column of a query result: its name and DuckDB type (as DuckDB writes it, e.g. <c>DECIMAL(18,2)</c> or <c>INTEGER[]</c>).</summary>
public sealed record QueryColumn(string Name, string Type);

/// <summary>
/// The answer to a lake query: columns, rows (at most the limit; each a JSON array holding every value in
/// its JSON form, docs/lake.md "JSON forms"), whether more rows existed, and how long it took.
/// </summary>
public sealed record QueryResult(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<JsonElement> Rows, bool Truncated, long ElapsedMs)
{
    public int RowCount => Rows.Count;
}
