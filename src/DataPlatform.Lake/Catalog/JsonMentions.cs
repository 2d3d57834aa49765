using System.Text;
using System.Text.Json;

namespace DataPlatform.Lake.Catalog;

/// <summary>Whether a JSON document (a raw record, a quarantined row) holds a given text as one of its string values.</summary>
public static class JsonMentions
{
    /// <summary>
    /// True when <paramref name="json"/> holds <paramref name="value"/> as a string value (any depth, property
    /// names excluded). Text that is not JSON (a malformed record) mentions it when it holds it in double quotes.
    /// </summary>
    public static bool HoldsString(ReadOnlySpan<byte> json, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 256 });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(value))
                {
                    return true;
                }
            }
            return false;
        }
        catch (JsonException)
        {
            return json.IndexOf(Encoding.UTF8.GetBytes($"\"{value}\"")) >= 0;
        }
    }
}
