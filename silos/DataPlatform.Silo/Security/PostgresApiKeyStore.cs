using DataPlatform.Api.Security;
using Npgsql;

namespace DataPlatform.Silo.Security;

/// <summary>The API keys of the cluster profile: table <c>api_key</c> (deploy/sql/06-api-keys.sql), shared by every silo.</summary>
public sealed class PostgresApiKeyStore(string connectionString) : IApiKeyStore, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT id, name, role, secret_hash, created_at, revoked_at FROM api_key ORDER BY created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKey>();
        while (await reader.ReadAsync(cancellationToken))
        {
            if (!ApiPolicies.TryParse(reader.GetString(2), out var role))
            {
                continue;
            }
            keys.Add(new ApiKey(reader.GetString(0), reader.GetString(1), role, reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        return keys;
    }

    public async Task AddAsync(ApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var command = _dataSource.CreateCommand("""
            INSERT INTO api_key (id, name, role, secret_hash, created_at) VALUES (@id, @name, @role, @hash, @created)
            ON CONFLICT (id) DO NOTHING
            """);
        command.Parameters.AddWithValue("id", key.Id);
        command.Parameters.AddWithValue("name", key.Name);
        command.Parameters.AddWithValue("role", ApiPolicies.NameOf(key.Role));
        command.Parameters.AddWithValue("hash", key.SecretHash);
        command.Parameters.AddWithValue("created", key.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("UPDATE api_key SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL");
        command.Parameters.AddWithValue("id", id);
        command.Parameters.AddWithValue("at", at);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
