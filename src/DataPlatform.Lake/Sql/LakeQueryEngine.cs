using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Text;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Schema;
using DataPlatform.Lake.Tables;
using DuckDB.NET.Data;

namespace DataPlatform.Lake.Sql;

/// <summary>
/// Runs read-only SQL over the lake in an embedded DuckDB. Each query gets a fresh in-memory database
/// in which every table it names is a view over exactly the files of its committed snapshot (never a
/// directory glob), then the engine is sandboxed: external access off except the lake's directory,
/// extensions neither installed nor loaded, configuration locked. Results stop at the row limit and a
/// query running past the timeout is interrupted.
/// </summary>
public sealed class LakeQueryEngine
{
    private readonly LakeOptions _options;
    private readonly Dictionary<string, TableDefinition> _tables;
    private readonly string _root;

    public LakeQueryEngine(LakeOptions options, IEnumerable<TableDefinition> tables)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tables);
        _options = options;
        _tables = tables.ToDictionary(table => table.Name, StringComparer.Ordinal);
        _root = Path.GetFullPath(options.Root);
    }

    /// <summary>Runs one query; throws <see cref="LakeQueryException"/> for SQL the lake refuses or cannot run.</summary>
    public async Task<QueryResult> ExecuteAsync(string sql, int? limit, CancellationToken cancellationToken)
    {
        SqlGuard.Check(sql);
        var maxRows = limit ?? _options.DefaultQueryRows;
        if (maxRows < 1 || maxRows > _options.MaxQueryRows)
        {
            throw new LakeQueryException($"limit must be between 1 and {_options.MaxQueryRows}.");
        }
        var (rewritten, references) = TableReference.Resolve(sql);
        var stopwatch = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.QueryTimeout);

        await using var connection = new DuckDBConnection("DataSource=:memory:");
        await connection.OpenAsync(cancellationToken);
        foreach (var layer in new[] { "bronze", "silver", "gold" })
        {
            await ExecuteAsync(connection, $"CREATE SCHEMA {layer}", cancellationToken);
        }
        foreach (var reference in references)
        {
            await ExecuteAsync(connection, ViewOf(reference), cancellationToken);
        }
        await SandboxAsync(connection, cancellationToken);

        await using var command = connection.CreateCommand();
        command.CommandText = rewritten;
        using var interrupt = timeout.Token.Register(command.Cancel);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(timeout.Token);
            var columns = Enumerable.Range(0, reader.FieldCount)
                .Select(i => new QueryColumn(reader.GetName(i), reader.GetDataTypeName(i)))
                .ToList();
            var rows = new List<object?[]>();
            var truncated = false;
            while (await reader.ReadAsync(timeout.Token))
            {
                if (rows.Count == maxRows)
                {
                    truncated = true;
                    break;
                }
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : Plain(reader.GetValue(i));
                }
                rows.Add(row);
            }
            return new QueryResult(columns, rows, truncated, stopwatch.ElapsedMilliseconds);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new LakeQueryException($"The query ran longer than {_options.QueryTimeout.TotalSeconds:0.#} s and was cancelled.", ex);
        }
        catch (DuckDBException ex)
        {
            throw new LakeQueryException(ex.Message, ex);
        }
    }

    /// <summary>The newest committed version of a table (-1 before its first commit).</summary>
    public long VersionOf(string table) => new DeltaLog(LakeTable.TablePath(_root, table)).LatestVersion();

    private string ViewOf(TableReference reference)
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
        var view = $"CREATE VIEW \"{reference.Layer}\".\"{reference.ViewName}\" AS ";
        var columns = string.Join(", ", table.Columns.Select(column => $"CAST(\"{column.Name}\" AS {DuckDbType(column.Type)}) AS \"{column.Name}\""));
        if (files.Count == 0)
        {
            return view + $"SELECT {columns} FROM (SELECT {string.Join(", ", table.Columns.Select(column => $"NULL AS \"{column.Name}\""))}) WHERE false";
        }
        var list = string.Join(", ", files.Select(path => $"'{path.Replace("'", "''", StringComparison.Ordinal)}'"));
        var hive = table.PartitionColumn is { } partition
            ? $", hive_partitioning = true, hive_types = {{'{partition}': 'DATE'}}"
            : ", hive_partitioning = false";
        return view + $"SELECT {columns} FROM read_parquet([{list}]{hive})";
    }

    private async Task SandboxAsync(DuckDBConnection connection, CancellationToken cancellationToken)
    {
        var lake = _root.EndsWith(Path.DirectorySeparatorChar) ? _root : _root + Path.DirectorySeparatorChar;
        var settings = new StringBuilder()
            .Append("SET TimeZone = 'UTC';")
            .Append("SET autoinstall_known_extensions = false;")
            .Append("SET autoload_known_extensions = false;")
            .Append(CultureInfo.InvariantCulture, $"SET allowed_directories = ['{lake.Replace("'", "''", StringComparison.Ordinal)}'];")
            .Append("SET enable_external_access = false;")
            .Append("SET lock_configuration = true;");
        await ExecuteAsync(connection, settings.ToString(), cancellationToken);
    }

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

    /// <summary>Values as JSON can carry them.</summary>
    private static object? Plain(object value) => value switch
    {
        BigInteger big when big >= long.MinValue && big <= long.MaxValue => (long)big,
        BigInteger big => big.ToString(CultureInfo.InvariantCulture),
        string or bool or int or long or short or byte or sbyte or ushort or uint or ulong or double or float or decimal => value,
        DateTime time => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        DateTimeOffset or DateOnly or TimeOnly or Guid => value,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}
