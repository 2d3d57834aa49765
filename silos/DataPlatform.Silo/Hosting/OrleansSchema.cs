using System.Reflection;
using Npgsql;

namespace DataPlatform.Silo.Hosting;

/// <summary>
/// The PostgreSQL schema Orleans' ADO.NET providers need (deploy/sql, shipped inside the silo): the
/// <c>OrleansQuery</c> table with every query key, and the membership, grain state and reminder tables;
/// and the tables of the platform's own checkpoint store.
/// Every script is idempotent, so applying them on each start brings an empty database up to date and
/// leaves a current one as it is.
/// </summary>
public static class OrleansSchema
{
    private const string ResourcePrefix = "deploy/sql/";

    // Two silos starting together would otherwise race on CREATE TABLE IF NOT EXISTS.
    private const long SchemaLockKey = 0x4450_4f52_4c45_414e; // "DPORLEAN"

    /// <summary>The scripts in the order they run (file-name order), as (name, SQL text).</summary>
    public static IReadOnlyList<(string Name, string Sql)> Scripts()
    {
        var assembly = typeof(OrleansSchema).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => (name[ResourcePrefix.Length..], Read(assembly, name)))];
    }

    /// <summary>Applies every script in one transaction, serialised with other silos doing the same.</summary>
    public static async Task ApplyAsync(string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLockKey})", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var (_, sql) in Scripts())
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The silo was built without {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
