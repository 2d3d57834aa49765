using System.Security.Cryptography;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Schema;
using DuckDB.NET.Data;

namespace DataPlatform.Lake.Tables;

/// <summary>What verifying one table found.</summary>
public sealed record TableVerification(string Table, long Version, int Files, long Rows, IReadOnlyList<string> Problems, int UncommittedFiles);

/// <summary>
/// Checks a lake from the outside, as any reader would: each table's log replays, every committed file
/// exists, has the SHA-256 the log recorded and is read by DuckDB with the row count the log recorded,
/// and every other file ending in <c>.parquet</c> is a complete Parquet file (an uncommitted leftover of
/// a writer that stopped between writing and committing, which no snapshot reads).
/// </summary>
public static class LakeVerifier
{
    public static async Task<IReadOnlyList<TableVerification>> VerifyAsync(string root, IEnumerable<TableDefinition> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tables);
        await using var duckDb = new DuckDBConnection("DataSource=:memory:");
        await duckDb.OpenAsync(cancellationToken);
        var results = new List<TableVerification>();
        foreach (var table in tables)
        {
            var tableRoot = LakeTable.TablePath(root, table.Name);
            if (!Directory.Exists(tableRoot))
            {
                continue;
            }
            results.Add(await VerifyTableAsync(duckDb, table, tableRoot, cancellationToken));
        }
        return results;
    }

    private static async Task<TableVerification> VerifyTableAsync(DuckDBConnection duckDb, TableDefinition table, string tableRoot, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var log = new DeltaLog(tableRoot);
        var versions = log.Versions();
        if (versions.Count > 0 && versions[^1] != versions.Count - 1)
        {
            problems.Add($"versions are not contiguous: {versions.Count} files up to version {versions[^1]}");
        }
        TableSnapshot snapshot;
        try
        {
            snapshot = log.ReadSnapshot();
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            return new TableVerification(table.Name, -1, 0, 0, [$"the log does not replay: {ex.Message}"], 0);
        }
        long rows = 0;
        foreach (var file in snapshot.Files.Values)
        {
            var path = Path.Combine(tableRoot, file.Path);
            if (!File.Exists(path))
            {
                problems.Add($"{file.Path} is committed but missing");
                continue;
            }
            await using (var stream = File.OpenRead(path))
            {
                var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
                if (hash != FileStatistics.Sha256Of(file.Stats))
                {
                    problems.Add($"{file.Path} does not have the SHA-256 the log recorded");
                }
            }
            var counted = await CountRowsAsync(duckDb, path, cancellationToken);
            if (counted is null)
            {
                problems.Add($"{file.Path} cannot be read by DuckDB");
            }
            else if (counted != snapshot.RowsOf(file.Path))
            {
                problems.Add($"{file.Path} holds {counted} rows, the log says {snapshot.RowsOf(file.Path)}");
            }
            rows += counted ?? 0;
        }
        var uncommitted = 0;
        foreach (var path in Directory.EnumerateFiles(tableRoot, "*.parquet", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(tableRoot, path).Replace('\\', '/');
            if (snapshot.Files.ContainsKey(relative) || snapshot.Tombstones.ContainsKey(relative))
            {
                continue;
            }
            uncommitted++;
            if (await CountRowsAsync(duckDb, path, cancellationToken) is null)
            {
                problems.Add($"{relative} is a partial Parquet file under a final name");
            }
        }
        return new TableVerification(table.Name, snapshot.Version, snapshot.Files.Count, rows, problems, uncommitted);
    }

    private static async Task<long?> CountRowsAsync(DuckDBConnection duckDb, string path, CancellationToken cancellationToken)
    {
        await using var command = duckDb.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM read_parquet('{path.Replace("'", "''", StringComparison.Ordinal)}')";
        try
        {
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DuckDBException)
        {
            return null;
        }
    }
}
