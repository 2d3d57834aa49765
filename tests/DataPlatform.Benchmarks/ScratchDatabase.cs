using DataPlatform.Silo.Hosting;
using Npgsql;

namespace DataPlatform.Benchmarks;

/// <summary>
/// A database of a benchmark's own on a PostgreSQL server, with deploy/sql applied: created fresh, dropped
/// (with whatever is still connected to it) when disposed.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    /// <summary>The server of <c>deploy/scripts/postgres.sh start</c> with its defaults.</summary>
    public const string DefaultServer = "Host=127.0.0.1;Port=55432;Database=dataplatform;Username=postgres";

    private readonly string _server;
    private readonly string _name;

    private ScratchDatabase(string server, string name, string connectionString)
    {
        _server = server;
        _name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The connection string of the new database.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates <c>{prefix}_{random}</c> on <paramref name="server"/> and applies the schema.</summary>
    public static async Task<ScratchDatabase> CreateAsync(string server, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await ExecuteAsync(server, $"CREATE DATABASE {name}");
        var database = new ScratchDatabase(server, name, new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true }.ConnectionString);
        try
        {
            await OrleansSchema.ApplyAsync(database.ConnectionString, default);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
