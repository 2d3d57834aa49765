using System.Text;
using System.Text.RegularExpressions;

namespace DataPlatform.Lake.Sql;

/// <summary>
/// Admits one read-only statement (SELECT, WITH, FROM, VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN)
/// and refuses everything that writes, reaches outside the lake or changes the engine (INSERT, COPY,
/// ATTACH, INSTALL, LOAD, PRAGMA, SET, ...). Keywords are looked for outside comments, string literals
/// and quoted names. This is the first line of defence; DuckDB itself runs with external access off,
/// file access limited to the lake and its configuration locked.
/// </summary>
public static partial class SqlGuard
{
    private static readonly HashSet<string> ReadOnlyStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "WITH", "FROM", "VALUES", "TABLE", "DESCRIBE", "SHOW", "SUMMARIZE", "EXPLAIN", "(",
    };

    private static readonly HashSet<string> Forbidden = new(StringComparer.OrdinalIgnoreCase)
    {
        "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "CREATE", "DROP", "ALTER", "TRUNCATE",
        "ATTACH", "DETACH", "COPY", "EXPORT", "IMPORT", "INSTALL", "LOAD", "PRAGMA", "SET", "RESET",
        "CALL", "CHECKPOINT", "VACUUM", "USE", "GRANT", "REVOKE", "BEGIN", "COMMIT", "ROLLBACK", "ABORT",
        "PREPARE", "EXECUTE", "DEALLOCATE",
    };

    /// <summary>Throws <see cref="LakeQueryException"/> with the reason when the SQL is not one read-only statement.</summary>
    public static void Check(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new LakeQueryException("The query is empty: send one SELECT statement in \"sql\".");
        }
        var code = CodeOnly(sql).Trim().TrimEnd(';').TrimEnd();
        if (code.Length == 0)
        {
            throw new LakeQueryException("The query has no statement, only comments.");
        }
        if (code.Contains(';', StringComparison.Ordinal))
        {
            throw new LakeQueryException("Send one statement at a time: the query contains more than one.");
        }
        var words = Word().Matches(code).Select(match => match.Value).ToList();
        var first = code.StartsWith('(') ? "(" : words.FirstOrDefault() ?? "";
        if (words.FirstOrDefault(Forbidden.Contains) is { } forbidden)
        {
            throw new LakeQueryException($"The lake is read-only: {forbidden.ToUpperInvariant()} is not allowed. Use SELECT to read tables.");
        }
        if (!ReadOnlyStarts.Contains(first))
        {
            throw new LakeQueryException($"Only read-only queries are allowed, and '{first}' does not start one. Use SELECT to read tables.");
        }
    }

    /// <summary>The SQL with comments removed and string literals and quoted names blanked.</summary>
    internal static string CodeOnly(string sql)
    {
        var code = new StringBuilder(sql.Length);
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }
                code.Append(' ');
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 1;
                code.Append(' ');
            }
            else if (c is '\'' or '"')
            {
                var quote = c;
                i++;
                while (i < sql.Length && !(sql[i] == quote && (i + 1 >= sql.Length || sql[i + 1] != quote)))
                {
                    i += sql[i] == quote ? 2 : 1;
                }
                code.Append(quote).Append(quote);
            }
            else
            {
                code.Append(c);
            }
        }
        return code.ToString();
    }

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();
}
