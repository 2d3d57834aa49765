using System.Reflection;
using System.Text.RegularExpressions;
using DataPlatform.Silo.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>deploy/sql gives Orleans 10.4.2's ADO.NET providers every query they load, and applies again harmlessly.</summary>
[Collection(SharedPostgres.Name)]
public sealed class OrleansSchemaTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_schema_applies_to_an_empty_database_and_again_without_change()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();

        await OrleansSchema.ApplyAsync(database, CancellationToken.None);
        var first = await QueriesAsync(database);
        await OrleansSchema.ApplyAsync(database, CancellationToken.None);
        var second = await QueriesAsync(database);

        Assert.Equal(first, second);
        Assert.Equal(["01-queries.sql", "02-clustering.sql", "03-grain-storage.sql", "04-reminders.sql", "05-checkpoints.sql", "06-api-keys.sql"], OrleansSchema.Scripts().Select(script => script.Name));
    }

    [Fact]
    public async Task Postgres_sh_start_applies_the_schema_and_can_run_again()
    {
        await postgres.RunScriptAsync("start");

        var queries = await QueriesAsync(postgres.ScriptDatabase);

        Assert.Empty(RequiredQueryKeys().Except(queries.Keys));
    }

    [Fact]
    public async Task Every_query_key_the_providers_load_is_present()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();
        await OrleansSchema.ApplyAsync(database, CancellationToken.None);

        var queries = await QueriesAsync(database);
        var required = RequiredQueryKeys();

        Assert.Contains("UpdateIAmAlivetimeKey", required);
        Assert.Contains("WriteToStorageKey", required);
        Assert.Contains("UpsertReminderRowKey", required);
        Assert.Contains("DeleteStorageKey", required);
        Assert.Empty(required.Except(queries.Keys));
    }

    /// <summary>
    /// The keys the 10.4.2 providers load at start-up, read from their assemblies: clustering and reminders
    /// refuse a query table that lacks a property of their internal DbStoredQueries; grain storage loads the
    /// keys named in <see cref="AdoNetGrainStorage.DefaultInitializationQuery"/>.
    /// </summary>
    private static HashSet<string> RequiredQueryKeys() =>
    [
        .. new[] { typeof(AdoNetClusteringSiloOptions).Assembly, typeof(AdoNetReminderTableOptions).Assembly }
            .Select(assembly => assembly.GetTypes().Single(type => type.Name == "DbStoredQueries"))
            .SelectMany(type => type.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic))
            .Select(property => property.Name),
        .. Regex.Matches(AdoNetGrainStorage.DefaultInitializationQuery, "QueryKey = '(\\w+)'").Select(match => match.Groups[1].Value),
    ];

    private static async Task<Dictionary<string, string>> QueriesAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            queries[reader.GetString(0)] = reader.GetString(1);
        }
        return queries;
    }
}
