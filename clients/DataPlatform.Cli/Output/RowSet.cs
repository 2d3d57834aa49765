using System.Text;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DataPlatform.Cli.Output;

/// <summary>
/// Rows under named columns, printed as a table for people or as CSV (RFC 4180: a header line, fields quoted
/// when they hold a comma, quote or line break).
/// </summary>
public sealed class RowSet(IReadOnlyList<string> columns)
{
    private readonly List<IReadOnlyList<JsonElement>> _rows = [];

    public IReadOnlyList<string> Columns { get; } = columns;

    public int Count => _rows.Count;

    /// <summary>Rows of a JSON list of objects: each column is the property of that name (blank when missing).</summary>
    public static RowSet OfObjects(JsonElement list, IReadOnlyList<string> columns)
    {
        var rows = new RowSet(columns);
        if (list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                rows.Add([.. columns.Select(column => JsonText.Field(item, column))]);
            }
        }
        return rows;
    }

    /// <summary>Rows of a JSON list of arrays (the rows of POST /query), under the given column names.</summary>
    public static RowSet OfArrays(JsonElement list, IReadOnlyList<string> columns)
    {
        var rows = new RowSet(columns);
        if (list.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in list.EnumerateArray())
            {
                rows.Add(item.ValueKind == JsonValueKind.Array ? [.. item.EnumerateArray()] : [item]);
            }
        }
        return rows;
    }

    /// <summary>One row per property of an object: <c>field</c> and <c>value</c>.</summary>
    public static RowSet OfFields(JsonElement item, Func<string, bool>? include = null)
    {
        var rows = new RowSet(["field", "value"]);
        if (item.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in item.EnumerateObject().Where(property => include?.Invoke(property.Name) ?? true))
            {
                rows.Add([JsonText.OfText(property.Name), property.Value]);
            }
        }
        return rows;
    }

    public void Add(IReadOnlyList<JsonElement> row) => _rows.Add(row);

    /// <summary>A table with a rounded border; a column whose values are all numbers is right-aligned.</summary>
    public Table ToTable(string? title = null)
    {
        var table = new Table().Border(TableBorder.Rounded);
        if (title is not null)
        {
            table.Title = new TableTitle(Markup.Escape(title));
        }
        for (var index = 0; index < Columns.Count; index++)
        {
            var column = new TableColumn(new Text(Columns[index], new Style(decoration: Decoration.Bold)));
            var values = _rows.Select(row => index < row.Count ? row[index] : default)
                .Where(value => value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                .ToList();
            if (values.Count > 0 && values.All(JsonText.IsNumber))
            {
                column.RightAligned();
            }
            table.AddColumn(column);
        }
        foreach (var row in _rows)
        {
            table.AddRow(Columns.Select((_, index) => (IRenderable)new Text(index < row.Count ? JsonText.Cell(row[index]) : "")));
        }
        return table;
    }

    /// <summary>The CSV text, header first, lines ending in CRLF as RFC 4180 says.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', Columns.Select(Quote))).Append("\r\n");
        foreach (var row in _rows)
        {
            csv.Append(string.Join(',', Columns.Select((_, index) => Quote(index < row.Count ? JsonText.Cell(row[index]) : "")))).Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
