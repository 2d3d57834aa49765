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

    /// <summary>
    /// The SQL with comments, string literals and quoted names blanked by spaces, position for position
    /// (the quotes stay), so what is found in it can be located in the original.
    /// </summary>
    internal static string CodeOnly(string sql)
    {
        var code = sql.ToCharArray();
        var i = 0;
        while (i < code.Length)
        {
            if (sql[i] == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    code[i++] = ' ';
                }
            }
            else if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var stop = end < 0 ? sql.Length : end + 2;
                while (i < stop)
                {
                    code[i++] = ' ';
                }
            }
            else if (sql[i] is '\'' or '"')
            {
                var quote = sql[i++];
                while (i < sql.Length && !(sql[i] == quote && (i + 1 >= sql.Length || sql[i + 1] != quote)))
                {
                    var step = sql[i] == quote ? 2 : 1;
                    for (var k = 0; k < step && i < sql.Length; k++)
                    {
                        code[i++] = ' ';
                    }
                }
                i++; // the closing quote stays
            }
            else
            {
                i++;
            }
        }
        return new string(code);
    }

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();
}
