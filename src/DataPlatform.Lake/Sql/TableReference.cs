using System.Text.RegularExpressions;

namespace DataPlatform.Lake.Sql;

/// <summary>A table a query names (<c>silver.app_events</c>), optionally at an older version (<c>VERSION AS OF 3</c>).</summary>
public sealed partial record TableReference(string Layer, string Table, long? Version)
{
    public string QualifiedName => $"{Layer}.{Table}";

    /// <summary>The name of the DuckDB view that stands for this reference.</summary>
    public string ViewName => Version is { } version ? $"{Table}@v{version}" : Table;

    /// <summary>Finds the lake tables a query names and rewrites each to its view.</summary>
    public static (string Sql, IReadOnlyList<TableReference> References) Resolve(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var references = new List<TableReference>();
        var rewritten = Pattern().Replace(sql, match =>
        {
            var version = match.Groups["version"].Success ? long.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
            var reference = new TableReference(match.Groups["layer"].Value.ToLowerInvariant(), match.Groups["table"].Value.ToLowerInvariant(), version);
            if (!references.Contains(reference))
            {
                references.Add(reference);
            }
            return $"\"{reference.Layer}\".\"{reference.ViewName}\"";
        });
        return (rewritten, references);
    }

    [GeneratedRegex(@"(?<![\w.""])(?<layer>bronze|silver|gold)\s*\.\s*(?<table>[A-Za-z_][A-Za-z0-9_]*)(?:\s+VERSION\s+AS\s+OF\s+(?<version>\d{1,18}))?\b", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
