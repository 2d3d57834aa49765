using System.Text;
using System.Text.Json;

namespace DataPlatform.Lake.Catalog;

/// <summary>Whether a JSON document (a raw record, a quarantined row) holds a given text as one of its string values.</summary>
public static class JsonMentions
{
    /// <summary>Tests one string value of a JSON document, as UTF-8 with its escapes resolved.</summary>
    public delegate bool StringValueTest(ReadOnlySpan<byte> value);

    /// <summary>
    /// True when <paramref name="json"/> holds <paramref name="value"/> as a string value (any depth, property
    /// names excluded). Text that is not JSON (a malformed record) mentions it when it holds it in double quotes.
    /// </summary>
    public static bool HoldsString(ReadOnlySpan<byte> json, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var utf8 = Encoding.UTF8.GetBytes(value);
        return AnyStringValue(json, candidate => candidate.SequenceEqual(utf8)) ?? json.IndexOf(Encoding.UTF8.GetBytes($"\"{value}\"")) >= 0;
    }

    /// <summary>
    /// True when a string value of <paramref name="json"/> (any depth, property names excluded) passes
    /// <paramref name="test"/>; false when none does; null when the text is not JSON and no value before the fault passed.
    /// </summary>
    public static bool? AnyStringValue(ReadOnlySpan<byte> json, StringValueTest test)
    {
        ArgumentNullException.ThrowIfNull(test);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType != JsonTokenType.String)
                {
                    continue;
                }
                if (!reader.ValueIsEscaped)
                {
                    if (test(reader.ValueSpan))
                    {
                        return true;
                    }
                    continue;
                }
                // An escaped value is never longer unescaped.
                var unescaped = new byte[reader.ValueSpan.Length];
                if (test(unescaped.AsSpan(0, reader.CopyString(unescaped))))
                {
                    return true;
                }
            }
            return false;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
