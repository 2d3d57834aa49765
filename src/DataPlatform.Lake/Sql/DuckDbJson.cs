using System.Text;

namespace DataPlatform.Lake.Sql;

/// <summary>
/// DuckDB's JSON text (<c>to_json</c>, <c>json_array</c>) made standard JSON. DuckDB writes non-finite
/// floating-point values as the bare words <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>, for which JSON
/// has no form; they become the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>, at any depth.
/// </summary>
internal static class DuckDbJson
{
    private static readonly string[] NonFinite = ["-Infinity", "Infinity", "NaN"];

    public static string Standard(string json)
    {
        if (!json.Contains("NaN", StringComparison.Ordinal) && !json.Contains("Infinity", StringComparison.Ordinal))
        {
            return json;
        }
        var standard = new StringBuilder(json.Length + 16);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                standard.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                {
                    standard.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (c == '"')
            {
                inString = true;
                standard.Append(c);
                continue;
            }
            if (NonFinite.FirstOrDefault(word => string.CompareOrdinal(json, i, word, 0, word.Length) == 0) is { } bare)
            {
                standard.Append('"').Append(bare).Append('"');
                i += bare.Length - 1;
                continue;
            }
            standard.Append(c);
        }
        return standard.ToString();
    }
}
