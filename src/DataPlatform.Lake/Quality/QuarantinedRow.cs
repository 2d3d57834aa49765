using System.Globalization;
using System.Text;
using System.Text.Json;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Quality;

/// <summary>
/// A row a lake table could not take, as it goes to <c>bronze.quarantine</c>: the table, the column at
/// fault, the reason, the row as JSON text and its source position when it has one. Every field is text
/// (or a number and the quarantine time), so a quarantined row can always be written.
/// </summary>
/// <param name="Table">The table the row was meant for.</param>
/// <param name="Column">The column whose value could not be written; null when the row as a whole was refused.</param>
/// <param name="Reason">e.g. <c>out_of_range:total_amount</c>, <c>missing_value:user_id</c>, <c>write_failed:&lt;message&gt;</c>.</param>
/// <param name="RowJson">The row's values as given, as a JSON object keyed by column name.</param>
/// <param name="Source">The row's source (appId = topic-partition), when it has one.</param>
/// <param name="SourceOffset">Its offset in that source.</param>
[GenerateSerializer, Immutable, Alias("lake.QuarantinedRow")]
public sealed record QuarantinedRow(
    [property: Id(0)] string Table,
    [property: Id(1)] string? Column,
    [property: Id(2)] string Reason,
    [property: Id(3)] string RowJson,
    [property: Id(4)] string? Source = null,
    [property: Id(5)] long? SourceOffset = null)
{
    /// <summary>Prefix of the reason of a row the Parquet writer refused; the exception's message follows.</summary>
    public const string WriteFailed = "write_failed";

    /// <summary>A row the conformer rejected.</summary>
    public static QuarantinedRow Of(TableDefinition table, RejectedRow rejected, string? source = null, long? sourceOffset = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rejected);
        return new(table.Name, rejected.Column, rejected.Reason, JsonOf(table, rejected.Row), source, sourceOffset);
    }

    /// <summary>A row the Parquet writer refused with an exception.</summary>
    public static QuarantinedRow Of(TableDefinition table, object?[] row, Exception error, string? source = null, long? sourceOffset = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(error);
        return new(table.Name, null, Printable($"{WriteFailed}:{error.GetType().Name}: {error.Message}"), JsonOf(table, row), source, sourceOffset);
    }

    private static readonly RowMap<(QuarantinedRow Row, DateTimeOffset At)> QuarantineRows = new(PlatformTables.Get(PlatformTables.Quarantine),
    [
        ("table_name", quarantined => quarantined.Row.Table),
        ("column_name", quarantined => quarantined.Row.Column),
        ("reason", quarantined => quarantined.Row.Reason),
        ("row_json", quarantined => quarantined.Row.RowJson),
        ("source", quarantined => quarantined.Row.Source),
        ("source_offset", quarantined => quarantined.Row.SourceOffset),
        ("quarantined_at", quarantined => quarantined.At.UtcDateTime),
        ("event_date", quarantined => DateOnly.FromDateTime(quarantined.At.UtcDateTime)),
    ]);

    /// <summary>A row that failed a blocking expectation (reason <c>expectation:&lt;name&gt;</c>).</summary>
    public static QuarantinedRow Of(TableDefinition table, object?[] row, Expectation failed, string? source = null, long? sourceOffset = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(failed);
        return new(table.Name, failed.Column, $"expectation:{failed.Name}", JsonOf(table, row), source, sourceOffset);
    }

    /// <summary>The row of <c>bronze.quarantine</c>, quarantined at <paramref name="at"/>.</summary>
    public object?[] ToRow(DateTimeOffset at) => QuarantineRows.Row((this, at));

    /// <summary>The row as a JSON object keyed by column name; values that JSON cannot carry as they are become strings.</summary>
    public static string JsonOf(TableDefinition table, object?[] row)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(row);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            for (var i = 0; i < row.Length; i++)
            {
                json.WritePropertyName(i < table.Columns.Count ? table.Columns[i].Name : $"_{i}");
                WriteValue(json, row[i]);
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null: json.WriteNullValue(); break;
            case string s: json.WriteStringValue(Printable(s)); break;
            case bool b: json.WriteBooleanValue(b); break;
            case int i: json.WriteNumberValue(i); break;
            case long l: json.WriteNumberValue(l); break;
            case decimal m: json.WriteNumberValue(m); break;
            case double d when double.IsFinite(d): json.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): json.WriteNumberValue(f); break;
            case DateTime t: json.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture)); break;
            case DateTimeOffset t: json.WriteStringValue(t.ToString("O", CultureInfo.InvariantCulture)); break;
            case DateOnly d: json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)); break;
            case byte[] bytes: json.WriteBase64StringValue(bytes); break;
            case ReadOnlyMemory<byte> memory: json.WriteBase64StringValue(memory.Span); break;
            case IFormattable formattable: json.WriteStringValue(Printable(formattable.ToString(null, CultureInfo.InvariantCulture))); break;
            default: json.WriteStringValue(Printable(value.ToString() ?? "")); break;
        }
    }

    /// <summary>The text with each unpaired surrogate written out as <c>\uXXXX</c>, so it has a UTF-8 form.</summary>
    private static string Printable(string text)
    {
        if (RowConformer.IsValidText(text))
        {
            return text;
        }
        var builder = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
            }
            else if (char.IsSurrogate(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
