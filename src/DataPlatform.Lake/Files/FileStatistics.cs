using System.Globalization;
using System.Text;
using System.Text.Json;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Files;

/// <summary>
/// The <c>stats</c> JSON of an add action: numRecords, minValues and maxValues of numeric and time
/// columns (none for text, booleans and binary), nullCount of every data column, and the SHA-256 of the file (DataPlatform's own field:
/// Parquet pages carry no checksum, so the hash is what detects a damaged file).
/// </summary>
public static class FileStatistics
{
    public static string Of(TableDefinition table, IReadOnlyList<object?[]> rows, string sha256)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("numRecords", rows.Count);
            var columns = table.Columns.Select((column, index) => (column, index)).Where(c => c.column.Name != table.PartitionColumn).ToList();
            var ranged = columns.Where(c => c.column.Type is not (LakeColumnType.String or LakeColumnType.Boolean or LakeColumnType.Binary)).ToList();
            json.WriteStartObject("minValues");
            foreach (var (column, index) in ranged)
            {
                WriteExtreme(json, column, rows, index, smallest: true);
            }
            json.WriteEndObject();
            json.WriteStartObject("maxValues");
            foreach (var (column, index) in ranged)
            {
                WriteExtreme(json, column, rows, index, smallest: false);
            }
            json.WriteEndObject();
            json.WriteStartObject("nullCount");
            foreach (var (column, index) in columns)
            {
                json.WriteNumber(column.Name, rows.Count(row => row[index] is null));
            }
            json.WriteEndObject();
            json.WriteString("sha256", sha256);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The row count recorded in a stats JSON.</summary>
    public static long RowsOf(string stats)
    {
        using var document = JsonDocument.Parse(stats);
        return document.RootElement.GetProperty("numRecords").GetInt64();
    }

    /// <summary>The file hash recorded in a stats JSON, or null when the writer recorded none.</summary>
    public static string? Sha256Of(string stats)
    {
        using var document = JsonDocument.Parse(stats);
        return document.RootElement.TryGetProperty("sha256", out var hash) ? hash.GetString() : null;
    }

    private static void WriteExtreme(Utf8JsonWriter json, LakeColumn column, IReadOnlyList<object?[]> rows, int index, bool smallest)
    {
        IComparable? extreme = null;
        foreach (var row in rows)
        {
            if (row[index] is IComparable value && (extreme is null || (value.CompareTo(extreme) < 0) == smallest && value.CompareTo(extreme) != 0))
            {
                extreme = value;
            }
        }
        switch (extreme)
        {
            case null: return;
            case int i: json.WriteNumber(column.Name, i); break;
            case long l: json.WriteNumber(column.Name, l); break;
            case double d: json.WriteNumber(column.Name, d); break;
            case decimal m: json.WriteNumber(column.Name, m); break;
            case DateTime t: json.WriteString(column.Name, t.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture)); break;
            case DateOnly d: json.WriteString(column.Name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            default: break;
        }
    }
}
