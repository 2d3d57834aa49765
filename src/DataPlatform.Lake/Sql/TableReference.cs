using System.Text.RegularExpressions;

namespace DataPlatform.Lake.Sql;

/// <summary>A table a query names (<c>silver.app_events</c>), optionally at an older version (<c>VERSION AS OF 3</c>).</summary>
public sealed partial record TableReference(string Layer, string Table, long? Version)
{
    public string QualifiedName => $"{Layer}.{Table}";

    /// <summary>The name of the DuckDB view that stands for this reference.</summary>
    public string ViewName => Version is { } version ? $"{Table}@v{version}" : Table;

    /// <summary>
    /// Finds the lake tables a query names and rewrites each to its view. Names inside string literals,
    /// quoted identifiers and comments are left as they are.
    /// </summary>
    public static (string Sql, IReadOnlyList<TableReference> References) Resolve(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var references = new List<TableReference>();
        var rewritten = new System.Text.StringBuilder(sql.Length);
        var copied = 0;
        foreach (Match match in Pattern().Matches(SqlGuard.CodeOnly(sql)))
        {
            var version = match.Groups["version"].Success ? long.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
            var reference = new TableReference(match.Groups["layer"].Value.ToLowerInvariant(), match.Groups["table"].Value.ToLowerInvariant(), version);
            if (!references.Contains(reference))
            {
                references.Add(reference);
            }
            rewritten.Append(sql, copied, match.Index - copied).Append($"\"{reference.Layer}\".\"{reference.ViewName}\"");
            copied = match.Index + match.Length;
        }
        rewritten.Append(sql, copied, sql.Length - copied);
        return (rewritten.ToString(), references);
    }

    [GeneratedRegex(@"(?<![\w.""])(?<layer>bronze|silver|gold)\s*\.\s*(?<table>[A-Za-z_][A-Za-z0-9_]*)(?:\s+VERSION\s+AS\s+OF\s+(?<version>\d{1,18}))?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
