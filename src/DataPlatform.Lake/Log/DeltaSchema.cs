using System.Text;
using System.Text.Json;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Log;

/// <summary>A table's columns as the Spark struct JSON of a Delta <c>metaData.schemaString</c>.</summary>
public static class DeltaSchema
{
    public static string TypeName(LakeColumnType type) => type switch
    {
        LakeColumnType.String => "string",
        LakeColumnType.Int => "integer",
        LakeColumnType.Long => "long",
        LakeColumnType.Double => "double",
        LakeColumnType.Decimal => "decimal(18,2)",
        LakeColumnType.Boolean => "boolean",
        LakeColumnType.Timestamp => "timestamp",
        LakeColumnType.Date => "date",
        LakeColumnType.Binary => "binary",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown column type."),
    };

    public static string Of(TableDefinition table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "struct");
            json.WriteStartArray("fields");
            foreach (var column in table.Columns)
            {
                json.WriteStartObject();
                json.WriteString("name", column.Name);
                json.WriteString("type", TypeName(column.Type));
                json.WriteBoolean("nullable", column.Nullable);
                json.WriteStartObject("metadata");
                json.WriteString("comment", column.Description);
                json.WriteBoolean("pii", column.Pii);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
