using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DuckDB.NET.Data;

namespace DataPlatform.Lake.Sql;

/// <summary>
/// Admits one read-only statement, as DuckDB's own parser reads it. <c>json_serialize_sql</c> parses the
/// text exactly as DuckDB would run it and serializes SELECT statements only; DuckDB turns <c>VALUES</c>,
/// <c>FROM</c>-first queries, <c>TABLE</c>, <c>DESCRIBE</c>, <c>SHOW</c>, <c>SUMMARIZE</c> and a <c>PIVOT</c>
/// that lists its values (<c>ON k IN ('a', 'b')</c>) into SELECTs, so they pass. Text DuckDB cannot parse, more than one statement, or any other statement
/// (INSERT, COPY, ATTACH, SET, PRAGMA, EXPLAIN, ...) is refused with a message. The statement the engine
/// runs around the user's query is checked the same way. This is the first line of defence; DuckDB
/// itself runs with external access off, file access limited to the lake and its configuration locked.
/// </summary>
public static partial class SqlGuard
{
    private static readonly HashSet<string> ReadOnlyStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "WITH", "FROM", "VALUES", "TABLE", "DESCRIBE", "SHOW", "SUMMARIZE", "(",
    };

    /// <summary>
    /// Functions that answer with the engine's configuration or catalog (settings, view definitions,
    /// temporary files, databases): their text holds the machine's paths, which masking the answer cannot
    /// catch once a query reverses or cuts it, so they are refused wherever they appear.
    /// </summary>
    private static readonly HashSet<string> RevealingFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "current_setting", "duckdb_settings", "duckdb_views", "duckdb_temporary_files", "duckdb_extensions",
        "duckdb_secrets", "which_secret", "duckdb_databases", "pragma_database_list", "getenv", "glob",
    };

    /// <summary>
    /// Table functions that read files or run SQL text: a query that may not see personal data must read the
    /// lake through its masked views, never the files under them.
    /// </summary>
    private static readonly HashSet<string> FileReadingFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "read_parquet", "parquet_scan", "parquet_metadata", "parquet_schema", "parquet_file_metadata", "parquet_kv_metadata",
        "parquet_bloom_probe", "read_csv", "read_csv_auto", "sniff_csv", "read_json", "read_json_auto", "read_json_objects",
        "read_json_objects_auto", "read_ndjson", "read_ndjson_auto", "read_ndjson_objects", "read_text", "read_blob",
        "query", "query_table", "delta_scan", "iceberg_scan",
    };

    private static readonly System.Buffers.SearchValues<char> PathCharacters = System.Buffers.SearchValues.Create("/\\.*?:~");

    private static readonly HashSet<string> LakeSchemas = new(StringComparer.OrdinalIgnoreCase) { "bronze", "silver", "gold" };

    /// <summary>Throws <see cref="LakeQueryException"/> when there is no SQL at all, or text SQL cannot hold.</summary>
    public static void CheckText(string? sql)
    {
        if (string.IsNullOrWhiteSpace(sql))
        {
            throw new LakeQueryException("The query is empty: send one SELECT statement in \"sql\".");
        }
        if (sql.Contains('\0', StringComparison.Ordinal))
        {
            throw new LakeQueryException("The query contains a NUL character, which SQL text cannot hold.");
        }
    }

    /// <summary>Throws <see cref="LakeQueryException"/> with the reason when DuckDB does not read the SQL as exactly one SELECT.</summary>
    /// <remarks>
    /// A query that may not see personal data must also read nothing but lake tables and its own CTEs: no file,
    /// path or SQL-text table function, which would read the files under the masked views.
    /// </remarks>
    public static async Task CheckAsync(DuckDBConnection connection, string sql, PersonalData personalData, CancellationToken cancellationToken)
    {
        var parsed = await ParseAsync(connection, sql, cancellationToken);
        if (parsed.Error is { } error)
        {
            throw parsed.ErrorType == "parser"
                ? new LakeQueryException($"The query is not valid SQL: {error}{(parsed.Position is { } at ? $" (at character {at + 1})" : "")}.")
                : Refusal(sql);
        }
        if (parsed.Statements == 0)
        {
            throw new LakeQueryException("The query has no statement, only comments.");
        }
        if (parsed.Statements > 1)
        {
            throw new LakeQueryException($"Send one statement at a time: the query contains {parsed.Statements}.");
        }
        if (parsed.Functions.FirstOrDefault(RevealingFunctions.Contains) is { } revealing)
        {
            throw new LakeQueryException(
                $"{revealing.ToLowerInvariant()}() is not offered: it shows the engine's configuration. GET /tables and GET /tables/{{name}} describe the lake.");
        }
        if (personalData == PersonalData.Masked)
        {
            if (parsed.Functions.FirstOrDefault(FileReadingFunctions.Contains) is { } reader)
            {
                throw new LakeQueryException($"{reader.ToLowerInvariant()}() is not offered to this key: read the lake's tables by name (layer.table).");
            }
            // CTE names are collected across the whole query, so a name that could be a path is never taken for one.
            var others = parsed.Tables.Where(table => !LakeSchemas.Contains(table.Schema)
                && !(table.Schema.Length == 0 && parsed.Ctes.Contains(table.Name) && table.Name.AsSpan().IndexOfAny(PathCharacters) < 0)).ToList();
            if (others.Count > 0)
            {
                throw new LakeQueryException($"'{others[0].Name}' is not a lake table: this key reads the lake's tables by name (layer.table) and the query's own CTEs only.");
            }
        }
    }

    /// <summary>
    /// Throws <see cref="LakeQueryException"/> unless the statement the engine built around a query
    /// (already checked by <see cref="CheckAsync"/>) is still exactly one SELECT: a query that closes the
    /// parenthesis around it early cannot smuggle in a second statement.
    /// </summary>
    public static async Task CheckEnclosedAsync(DuckDBConnection connection, string statement, CancellationToken cancellationToken)
    {
        var parsed = await ParseAsync(connection, statement, cancellationToken);
        if (parsed.Error is not null || parsed.Statements != 1)
        {
            throw new LakeQueryException(
                "The query must be one complete SELECT that can stand inside parentheses: remove anything after its last semicolon and any parenthesis it does not open.");
        }
    }

    /// <summary>
    /// The query without what follows its last statement (semicolons, comments, white space), so it can
    /// stand inside parentheses. What the result holds is decided by <see cref="CheckEnclosedAsync"/>.
    /// </summary>
    public static string Enclosable(string sql)
    {
        ArgumentNullException.ThrowIfNull(sql);
        var code = CodeOnly(sql).TrimEnd();
        var end = code.Length;
        while (end > 0 && (code[end - 1] == ';' || char.IsWhiteSpace(code[end - 1])))
        {
            end--;
        }
        return sql[..end];
    }

    private static LakeQueryException Refusal(string sql)
    {
        var first = FirstWord(sql);
        if (first.Equals("EXPLAIN", StringComparison.OrdinalIgnoreCase))
        {
            return new LakeQueryException("EXPLAIN is not offered: plans show the machine's files. DESCRIBE or SUMMARIZE a query to see its columns.");
        }
        if (first.Equals("PIVOT", StringComparison.OrdinalIgnoreCase))
        {
            return new LakeQueryException(
                "List the values a PIVOT turns into columns (ON k IN ('a', 'b')): a PIVOT that looks them up first runs more than one statement.");
        }
        if (ReadOnlyStarts.Contains(first))
        {
            return new LakeQueryException("Send one statement at a time: DuckDB reads more than one statement here, or one that does more than read.");
        }
        return new LakeQueryException(
            $"The lake is read-only: {first.ToUpperInvariant()} is not allowed. Send one SELECT (or WITH, FROM, VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE).");
    }

    /// <summary>The first keyword of the SQL, past comments; used only to word a refusal, never to decide one.</summary>
    private static string FirstWord(string sql)
    {
        var code = CodeOnly(sql).TrimStart();
        return code.StartsWith('(') ? "(" : Word().Match(code) is { Success: true } word ? word.Value : "";
    }

    private static async Task<ParsedSql> ParseAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        // json_serialize_sql takes a constant only; a standard SQL string has no escapes but doubled quotes.
        command.CommandText = $"SELECT json_serialize_sql('{sql.Replace("'", "''", StringComparison.Ordinal)}')";
        // The tree writes constants such as 1e400 as bare Infinity, which JSON cannot hold.
        var json = DuckDbJson.Standard((string?)await command.ExecuteScalarAsync(cancellationToken) ?? "{}");
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var failed) && failed.ValueKind == JsonValueKind.True)
        {
            var type = root.TryGetProperty("error_type", out var kind) ? kind.GetString() : null;
            var message = root.TryGetProperty("error_message", out var text) ? text.GetString() : null;
            var position = root.TryGetProperty("position", out var at) && int.TryParse(at.ToString(), CultureInfo.InvariantCulture, out var index) ? index : (int?)null;
            return new ParsedSql(0, message ?? "DuckDB could not read the query", type, position, []);
        }
        var statements = root.TryGetProperty("statements", out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
        var (functions, tables, ctes) = (new List<string>(), new List<(string, string)>(), new HashSet<string>(StringComparer.OrdinalIgnoreCase));
        Collect(root, functions, tables, ctes);
        return new ParsedSql(statements, null, null, null, functions) { Tables = tables, Ctes = ctes };
    }

    /// <summary>
    /// Every function the parsed tree calls (scalar or table function), every table it names (a base table:
    /// schema and name, a path read by a replacement scan included) and every CTE it defines, at any depth.
    /// </summary>
    private static void Collect(JsonElement node, List<string> functions, List<(string Schema, string Name)> tables, HashSet<string> ctes)
    {
        if (node.ValueKind == JsonValueKind.Object)
        {
            if (node.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.ValueEquals("BASE_TABLE"))
            {
                tables.Add((Text(node, "schema_name"), Text(node, "table_name")));
            }
            if (node.TryGetProperty("cte_map", out var cteMap) && cteMap.ValueKind == JsonValueKind.Object
                && cteMap.TryGetProperty("map", out var map) && map.ValueKind == JsonValueKind.Array)
            {
                foreach (var cte in map.EnumerateArray())
                {
                    ctes.Add(Text(cte, "key"));
                }
            }
            foreach (var property in node.EnumerateObject())
            {
                if (property.NameEquals("function_name") && property.Value.ValueKind == JsonValueKind.String)
                {
                    functions.Add(property.Value.GetString()!);
                }
                Collect(property.Value, functions, tables, ctes);
            }
        }
        else if (node.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in node.EnumerateArray())
            {
                Collect(item, functions, tables, ctes);
            }
        }
    }

    private static string Text(JsonElement node, string property) =>
        node.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    /// <summary>
    /// The SQL with comments, string literals (also <c>E'...'</c> with backslash escapes and
    /// <c>$tag$...$tag$</c>) and quoted names blanked by spaces, position for position (the quotes stay),
    /// so what is found in it can be located in the original.
    /// </summary>
    internal static string CodeOnly(string sql)
    {
        var code = sql.ToCharArray();
        var i = 0;
        void Blank(int stop)
        {
            while (i < stop)
            {
                code[i++] = ' ';
            }
        }
        while (i < code.Length)
        {
            if (sql[i] == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                var end = sql.IndexOf('\n', i);
                Blank(end < 0 ? sql.Length : end);
            }
            else if (sql[i] == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                Blank(end < 0 ? sql.Length : end + 2);
            }
            else if (sql[i] == '$' && DollarTag().Match(sql, i) is { Success: true } tag)
            {
                var end = sql.IndexOf(tag.Value, i + tag.Length, StringComparison.Ordinal);
                i += tag.Length;
                Blank(end < 0 ? sql.Length : end);
                i = Math.Min(sql.Length, i + tag.Length); // the closing tag stays
            }
            else if (sql[i] is '\'' or '"')
            {
                var escaped = sql[i] == '\'' && i > 0 && sql[i - 1] is 'E' or 'e' && (i < 2 || !IsNameChar(sql[i - 2]));
                var quote = sql[i++];
                while (i < sql.Length && !(sql[i] == quote && (i + 1 >= sql.Length || sql[i + 1] != quote)))
                {
                    var step = sql[i] == quote || (escaped && sql[i] == '\\') ? 2 : 1;
                    Blank(Math.Min(sql.Length, i + step));
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

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private sealed record ParsedSql(int Statements, string? Error, string? ErrorType, int? Position, IReadOnlyList<string> Functions)
    {
        public IReadOnlyList<(string Schema, string Name)> Tables { get; init; } = [];

        public HashSet<string> Ctes { get; init; } = [];
    }

    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"\G\$[A-Za-z_]*\$")]
    private static partial Regex DollarTag();
}
