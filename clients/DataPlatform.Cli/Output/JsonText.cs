using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DataPlatform.Cli.Output;

/// <summary>JSON values as the text of a table cell or CSV field, and whole answers as indented JSON.</summary>
public static class JsonText
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        // Answers hold names and URLs: show them as they are rather than as \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// A string as it is, a number as the server wrote it, null as nothing; an object as <c>name=value, ...</c>
    /// and a list as its items joined by commas (an object item as its values joined by spaces).
    /// </summary>
    public static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Object => string.Join(", ", value.EnumerateObject().Select(property => $"{property.Name}={Cell(property.Value)}")),
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(item => item.ValueKind == JsonValueKind.Object
            ? string.Join(' ', item.EnumerateObject().Select(property => Cell(property.Value)))
            : Cell(item))),
        _ => value.GetRawText(),
    };

    /// <summary>A text as a JSON string value, for cells <c>dp</c> composes itself.</summary>
    public static JsonElement OfText(string text) => JsonSerializer.SerializeToElement(text, CliJsonContext.Default.String);

    /// <summary>The named property of an object, or an undefined value (printed as nothing) when it has none.</summary>
    public static JsonElement Field(JsonElement item, string name) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) ? value : default;

    /// <summary>The named property's cell text, or nothing when the object does not have it.</summary>
    public static string Cell(JsonElement item, string property) => Cell(Field(item, property));

    /// <summary>Whether a value is a number (tables right-align columns of numbers).</summary>
    public static bool IsNumber(JsonElement value) => value.ValueKind == JsonValueKind.Number;

    /// <summary>A byte count for people: 1.4 MiB.</summary>
    public static string Bytes(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var bytes))
        {
            return Cell(value);
        }
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        var size = (double)bytes;
        var unit = 0;
        while (size >= 1024 && unit < units.Length - 1)
        {
            size /= 1024;
            unit++;
        }
        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{size:0.0} {units[unit]}");
    }

    /// <summary>Writes a JSON answer indented, followed by a new line.</summary>
    public static async Task WriteIndentedAsync(TextWriter writer, JsonElement value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        await writer.WriteLineAsync(Indent(value));
        await writer.FlushAsync();
    }

    /// <summary>A JSON value on one line (one line per value: JSON Lines).</summary>
    public static string Compact(JsonElement value) => value.GetRawText();

    private static string Indent(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            value.WriteTo(writer);
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
