using Npgsql;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// A throwaway PostgreSQL started through deploy/scripts/postgres.sh on a free port with its data in a temp
/// directory, shared by the cluster tests and stopped after them. Each test takes its own database.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    public int Port { get; } = FreePorts.Next();

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("dp-pg-").FullName;

    /// <summary>The database postgres.sh created and applied deploy/sql to.</summary>
    public string ScriptDatabase => ConnectionString("dataplatform");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Pooling=false";

    public async Task InitializeAsync() => await RunScriptAsync("start");

    public async Task DisposeAsync()
    {
        await RunScriptAsync("stop");
        Directory.Delete(DataDirectory, recursive: true);
    }

    /// <summary>A new database without any table; returns its connection string.</summary>
    public async Task<string> CreateEmptyDatabaseAsync()
    {
        var name = $"empty_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Runs deploy/scripts/postgres.sh with this server's port and data directory; returns its output.</summary>
    public Task<string> RunScriptAsync(string verb) => DeployScript.RunAsync("postgres.sh", [verb], new Dictionary<string, string>
    {
        ["DP_PG_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["DP_PG_DATA"] = DataDirectory,
    }, ScriptTimeout);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DataPlatform.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("The tests run outside the DataPlatform repository.");
    }
}

[CollectionDefinition(Name)]
public sealed class SharedPostgres : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
