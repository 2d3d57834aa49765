using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Schema;
using DataPlatform.Lake.Tables;
using DuckDB.NET.Data;
using DuckDB.NET.Native;

namespace DataPlatform.Lake.Sql;

/// <summary>
/// Runs read-only SQL over the lake in an embedded DuckDB. A query runs in an in-memory database of its own
/// while it runs (one kept from an earlier query, or a new one), in which every table it names is a view over
/// exactly the files of its committed snapshot (never a directory glob), and nothing else. Each database is
/// sandboxed when it is opened: memory, threads and spill space capped, external access off except the lake's
/// directory, extensions neither installed nor loaded, configuration locked. One whose query failed or was
/// interrupted is closed.
/// DuckDB's parser admits the query (<see cref="SqlGuard"/>), and DuckDB renders every value as JSON
/// itself, so every type it has gets a defined form. At most <see cref="LakeOptions.MaxConcurrentQueries"/>
/// queries run at once; results stop at the row limit and a query running past the timeout is interrupted.
/// </summary>
public sealed class LakeQueryEngine : IDisposable
{
    private const string SpillDirectoryName = "dataplatform-sql";

    /// <summary>What a masked PII value reads as (PII columns are text or bytes).</summary>
    public const string MaskedValue = "***";
    // Databases set up and sandboxed, waiting for the next query: opening one costs more than most gold queries.
    private readonly ConcurrentBag<QueryDatabase> _idle = [];
    private readonly LakeOptions _options;
    private readonly Dictionary<string, TableDefinition> _tables;
    private readonly string _root;
    private readonly string _spillRoot;
    private readonly MachinePaths _paths;

    public LakeQueryEngine(LakeOptions options, IEnumerable<TableDefinition> tables)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tables);
        _options = options;
        _tables = tables.ToDictionary(table => table.Name, StringComparer.Ordinal);
        _root = Path.GetFullPath(options.Root);
        _spillRoot = Path.Combine(Path.GetTempPath(), SpillDirectoryName);
        _paths = new MachinePaths(_root, _spillRoot);
        Admission = new QueryAdmission(options.MaxConcurrentQueries, options.QueryQueueTimeout);
    }

    /// <summary>The most rows one query may answer.</summary>
    public int MaxQueryRows => _options.MaxQueryRows;

    /// <summary>The places for queries running at once.</summary>
    public QueryAdmission Admission { get; }

    /// <summary>
    /// Runs one query; throws <see cref="LakeQueryException"/> for SQL the lake refuses or cannot run and
    /// <see cref="LakeBusyException"/> when too many queries run already.
    /// </summary>
    public Task<QueryResult> ExecuteAsync(string sql, int? limit, CancellationToken cancellationToken) =>
        ExecuteAsync(sql, limit, PersonalData.Visible, cancellationToken);

    /// <summary>
    /// Runs one query as <see cref="ExecuteAsync(string, int?, CancellationToken)"/>; with <see cref="PersonalData.Masked"/>
    /// every column the catalog marks PII reads as <c>***</c> in the views the query sees, so no expression over it
    /// (<c>lower(email)</c>, <c>email || ''</c>, <c>SELECT *</c>) can bring the value back, and the query may read
    /// nothing but lake tables and its own CTEs.
    /// </summary>
    public async Task<QueryResult> ExecuteAsync(string sql, int? limit, PersonalData personalData, CancellationToken cancellationToken)
    {
        SqlGuard.CheckText(sql);
        var maxRows = limit ?? _options.DefaultQueryRows;
        if (maxRows < 1 || maxRows > _options.MaxQueryRows)
        {
            throw new LakeQueryException($"limit must be between 1 and {_options.MaxQueryRows}.");
        }
        var (rewritten, references) = TableReference.Resolve(sql);
        if (personalData == PersonalData.Masked
            && references.FirstOrDefault(reference => _tables.TryGetValue(reference.QualifiedName, out var table) && table.AdminOnly) is { } restricted)
        {
            throw new LakeQueryException($"{restricted.QualifiedName} is read by admins only.");
        }
        using var place = await Admission.EnterAsync(cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        var result = await RunAsync(rewritten, references, maxRows, personalData, cancellationToken);
        return result with { ElapsedMs = stopwatch.ElapsedMilliseconds };
    }

    /// <summary>Closes the databases kept for the next queries.</summary>
    public void Dispose()
    {
        while (_idle.TryTake(out var database))
        {
            database.Dispose();
        }
    }

    private static void DeleteSpill(string? spill)
    {
        try
        {
            if (spill is not null && Directory.Exists(spill))
            {
                Directory.Delete(spill, recursive: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The answer stands; a directory left behind is under the system's temporary directory.
        }
    }

    private async Task<QueryResult> RunAsync(string sql, IReadOnlyList<TableReference> references, int maxRows, PersonalData personalData, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.QueryTimeout);
        QueryDatabase? database = null;
        var reusable = false;
        try
        {
            database = _idle.TryTake(out var idle) ? idle : await OpenAsync(cancellationToken);
            await database.ShowOnlyAsync([.. references.Select(reference => ViewOf(reference, personalData))], cancellationToken);
            if (database.Spill is { } spill)
            {
                Directory.CreateDirectory(spill);
            }
            var connection = database.Connection;

            // Cancelling any command of a connection interrupts whatever the connection runs.
            await using var canceller = connection.CreateCommand();
            using var interrupt = timeout.Token.Register(canceller.Cancel);
            await SqlGuard.CheckAsync(connection, sql, personalData, timeout.Token);
            var query = SqlGuard.Enclosable(sql);
            var columns = await DescribeAsync(connection, query, timeout.Token);
            var statement = RowsAsJson(query, columns, maxRows);
            await SqlGuard.CheckEnclosedAsync(connection, statement, timeout.Token);
            var result = await ReadAsync(connection, statement, columns, maxRows, timeout.Token);
            reusable = !timeout.IsCancellationRequested;
            return result;
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is not LakeQueryException)
        {
            throw new LakeQueryException($"The query ran longer than {_options.QueryTimeout.TotalSeconds:0.#} s and was cancelled.", ex);
        }
        catch (DuckDBException ex) when (ex.ErrorType == DuckDBErrorType.OutOfMemory)
        {
            throw new LakeQueryException(
                $"The query exceeded the memory limit of {_options.QueryMemoryLimit / (1024 * 1024)} MiB a query may use (Lake:QueryMemoryLimit). "
                + $"Filter or aggregate earlier, or select fewer columns. DuckDB: {_paths.Mask(ex.Message.Split('\n')[0])}", ex);
        }
        catch (DuckDBException ex)
        {
            throw new LakeQueryException(_paths.Mask(WithoutContext(ex.Message)), ex);
        }
        catch (LakeQueryException ex) when (_paths.Mask(ex.Message) != ex.Message)
        {
            throw new LakeQueryException(_paths.Mask(ex.Message), ex);
        }
        finally
        {
            DeleteSpill(database?.Spill);
            // A database whose query failed or was interrupted is closed, not trusted with the next one:
            // closing is also what gives the memory of a query past its limit back.
            if (database is not null)
            {
                if (reusable)
                {
                    _idle.Add(database);
                }
                else
                {
                    database.Dispose();
                }
            }
        }
    }

    /// <summary>A new in-memory database with the layers' schemas, sandboxed, with a spill directory of its own.</summary>
    private async Task<QueryDatabase> OpenAsync(CancellationToken cancellationToken)
    {
        var spill = _options.QuerySpillLimit > 0 ? Path.Combine(_spillRoot, Guid.NewGuid().ToString("N")) : null;
        var connection = new DuckDBConnection("DataSource=:memory:");
        try
        {
            await connection.OpenAsync(cancellationToken);
            foreach (var layer in new[] { "bronze", "silver", "gold" })
            {
                await ExecuteAsync(connection, $"CREATE SCHEMA {layer}", cancellationToken);
            }
            if (spill is not null)
            {
                Directory.CreateDirectory(spill);
            }
            await SandboxAsync(connection, spill, cancellationToken);
            return new QueryDatabase(connection, spill);
        }
        catch
        {
            await connection.DisposeAsync();
            DeleteSpill(spill);
            throw;
        }
    }

    /// <summary>
    /// DuckDB's message without the excerpt of SQL it quotes after it (<c>LINE 2: ...</c>): the excerpt
    /// shows the statement the engine built around the query, and cuts paths where masking cannot find them.
    /// </summary>
    private static string WithoutContext(string message)
    {
        var context = message.IndexOf("\n\nLINE ", StringComparison.Ordinal);
        return context < 0 ? message : message[..context];
    }

    /// <summary>The query's columns as DuckDB types them, found by binding it without running it.</summary>
    private async Task<IReadOnlyList<QueryColumn>> DescribeAsync(DuckDBConnection connection, string query, CancellationToken cancellationToken)
    {
        var describe = $"DESCRIBE SELECT * FROM (\n{query}\n) AS q";
        await SqlGuard.CheckEnclosedAsync(connection, describe, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = describe;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<QueryColumn>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(new QueryColumn(_paths.Mask(reader.GetString(0)), reader.GetString(1)));
        }
        return columns;
    }

    /// <summary>
    /// The query enclosed in one that renders each row as a JSON array, DuckDB writing every value in its
    /// JSON form (numbers exact, temporal values as text, nested values as arrays and objects). Blobs
    /// become base64. Columns are renamed by position, so repeated names do not clash.
    /// </summary>
    private static string RowsAsJson(string query, IReadOnlyList<QueryColumn> columns, int maxRows)
    {
        var names = string.Join(", ", columns.Select((_, i) => $"c{i}"));
        var values = string.Join(", ", columns.Select((column, i) => column.Type == "BLOB" ? $"base64(c{i})" : $"c{i}"));
        return $"SELECT CAST(json_array({values}) AS VARCHAR) FROM (\n{query}\n) AS q({names}) LIMIT {maxRows + 1}";
    }

    private async Task<QueryResult> ReadAsync(
        DuckDBConnection connection, string statement, IReadOnlyList<QueryColumn> columns, int maxRows, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = statement;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<JsonElement>();
        var truncated = false;
        long chars = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (rows.Count == maxRows)
            {
                truncated = true;
                break;
            }
            var json = _paths.Mask(DuckDbJson.Standard(reader.GetString(0)));
            chars += json.Length;
            if (chars > _options.MaxQueryResultChars)
            {
                throw new LakeQueryException(
                    $"The result is larger than the {_options.MaxQueryResultChars / (1024 * 1024)} Mi characters of JSON an answer may hold (Lake:MaxQueryResultChars). Ask for fewer rows or columns.");
            }
            rows.Add(Row(json));
        }
        return new QueryResult(columns, rows, truncated, 0);
    }

    private static JsonElement Row(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new LakeQueryException("A value of the result has no JSON form; cast it to VARCHAR in the query.", ex);
        }
    }

    /// <summary>The newest committed version of a table (-1 before its first commit).</summary>
    public long VersionOf(string table) => new DeltaLog(LakeTable.TablePath(_root, table)).LatestVersion();

    private LakeView ViewOf(TableReference reference, PersonalData personalData)
    {
        if (!_tables.TryGetValue(reference.QualifiedName, out var table))
        {
            throw new LakeQueryException($"Unknown table {reference.QualifiedName}. GET /tables lists the lake's tables.");
        }
        TableSnapshot snapshot;
        try
        {
            snapshot = new DeltaLog(LakeTable.TablePath(_root, table.Name)).ReadSnapshot(reference.Version);
        }
        catch (TableVersionNotFoundException ex)
        {
            throw new LakeQueryException($"{table.Name}: {ex.Message}", ex);
        }
        var root = LakeTable.TablePath(_root, table.Name);
        var files = snapshot.Files.Keys.Order(StringComparer.Ordinal).Select(path => Path.Combine(root, path)).ToList();
        if (files.FirstOrDefault(path => !File.Exists(path)) is not null)
        {
            throw new LakeQueryException(
                $"{table.Name} version {snapshot.Version} can no longer be read: its files were deleted after compaction or retention.");
        }
        var view = $"\"{reference.Layer}\".\"{reference.ViewName}\"";
        var columns = string.Join(", ", table.Columns.Select(column => column.Pii && personalData == PersonalData.Masked
            ? $"CASE WHEN \"{column.Name}\" IS NULL THEN NULL ELSE CAST('{MaskedValue}' AS {DuckDbType(column.Type)}) END AS \"{column.Name}\""
            : $"CAST(\"{column.Name}\" AS {DuckDbType(column.Type)}) AS \"{column.Name}\""));
        if (files.Count == 0)
        {
            return new(view, $"SELECT {columns} FROM (SELECT {string.Join(", ", table.Columns.Select(column => $"NULL AS \"{column.Name}\""))}) WHERE false");
        }
        var list = string.Join(", ", files.Select(path => $"'{path.Replace("'", "''", StringComparison.Ordinal)}'"));
        var hive = table.PartitionColumn is { } partition
            ? $", hive_partitioning = true, hive_types = {{'{partition}': 'DATE'}}"
            : ", hive_partitioning = false";
        return new(view, $"SELECT {columns} FROM read_parquet([{list}]{hive})");
    }

    private async Task SandboxAsync(DuckDBConnection connection, string? spill, CancellationToken cancellationToken)
    {
        var lake = _root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar;
        var settings = new StringBuilder()
            .Append("SET TimeZone = 'UTC';")
            .Append(CultureInfo.InvariantCulture, $"SET memory_limit = '{_options.QueryMemoryLimit}B';")
            .Append(CultureInfo.InvariantCulture, $"SET threads = {_options.QueryThreads};")
            .Append(spill is null
                ? "SET temp_directory = '';"
                : FormattableString.Invariant($"SET temp_directory = {Literal(spill)}; SET max_temp_directory_size = '{_options.QuerySpillLimit}B';"))
            .Append("SET autoinstall_known_extensions = false;")
            .Append("SET autoload_known_extensions = false;")
            .Append(CultureInfo.InvariantCulture, $"SET allowed_directories = [{Literal(lake)}];")
            .Append("SET enable_external_access = false;")
            .Append("SET lock_configuration = true;");
        await ExecuteAsync(connection, settings.ToString(), cancellationToken);
    }

    private static string Literal(string text) => $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string DuckDbType(LakeColumnType type) => type switch
    {
        LakeColumnType.String => "VARCHAR",
        LakeColumnType.Int => "INTEGER",
        LakeColumnType.Long => "BIGINT",
        LakeColumnType.Double => "DOUBLE",
        LakeColumnType.Decimal => $"DECIMAL({ParquetColumns.DecimalPrecision},{ParquetColumns.DecimalScale})",
        LakeColumnType.Boolean => "BOOLEAN",
        LakeColumnType.Timestamp => "TIMESTAMP",
        LakeColumnType.Date => "DATE",
        LakeColumnType.Binary => "BLOB",
        _ => "VARCHAR",
    };

    /// <summary>A view of a table snapshot: its qualified name and the query behind it.</summary>
    private sealed record LakeView(string Name, string Definition);

    /// <summary>
    /// One sandboxed database, used by one query at a time. It keeps the views it was last given: a query over
    /// the same snapshots creates none, and a view no longer asked for is dropped before the next query runs.
    /// </summary>
    private sealed class QueryDatabase(DuckDBConnection connection, string? spill) : IDisposable
    {
        private readonly Dictionary<string, string> _views = new(StringComparer.Ordinal);

        public DuckDBConnection Connection { get; } = connection;

        public string? Spill { get; } = spill;

        public async Task ShowOnlyAsync(IReadOnlyList<LakeView> views, CancellationToken cancellationToken)
        {
            var wanted = views.Select(view => view.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var name in _views.Keys.Where(name => !wanted.Contains(name)).ToList())
            {
                await ExecuteAsync(Connection, $"DROP VIEW {name}", cancellationToken);
                _views.Remove(name);
            }
            foreach (var view in views)
            {
                if (_views.TryGetValue(view.Name, out var shown) && shown == view.Definition)
                {
                    continue;
                }
                _views.Remove(view.Name);
                await ExecuteAsync(Connection, $"CREATE OR REPLACE VIEW {view.Name} AS {view.Definition}", cancellationToken);
                _views[view.Name] = view.Definition;
            }
        }

        public void Dispose() => Connection.Dispose();
    }
}
