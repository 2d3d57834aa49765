using DataPlatform.Api.Security;
using DataPlatform.KafkaTests.Cluster;
using DataPlatform.Silo.Hosting;
using DataPlatform.Silo.Security;

namespace DataPlatform.KafkaTests.Security;

/// <summary>
/// API keys in the cluster profile: the silo's <c>keys</c> command and the store every silo reads share the
/// api_key table, and the database holds hashes, never tokens.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresApiKeyStoreTests(PostgresServer postgres)
{
    [Fact]
    public async Task A_key_created_from_the_command_line_is_found_by_the_store_as_a_hash_and_revoked_from_it()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();
        string[] cluster = ["--Orleans:ClusterProvider", "AdoNet", "--ConnectionStrings:Orleans", database];
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(0, await KeysCommand.RunAsync(["create", "--name", "ops team", "--role", "analyst", .. cluster], output, error));
        var token = output.ToString().Trim();
        Assert.True(ApiKeyToken.TryParse(token, out var id, out var secret), token);

        await using var store = new PostgresApiKeyStore(database);
        var key = Assert.Single(await store.ListAsync(CancellationToken.None));
        Assert.Equal((id, "ops team", ApiRole.Analyst, true), (key.Id, key.Name, key.Role, key.IsActive));
        Assert.True(ApiKeyToken.Matches(key, secret));
        Assert.DoesNotContain(secret, key.SecretHash, StringComparison.Ordinal);

        // Applying the schema again (a silo starting) keeps the keys.
        await OrleansSchema.ApplyAsync(database, CancellationToken.None);
        Assert.Equal(0, await KeysCommand.RunAsync(["revoke", id, .. cluster], output, error));
        Assert.False(Assert.Single(await store.ListAsync(CancellationToken.None)).IsActive);
        Assert.Equal(1, await KeysCommand.RunAsync(["revoke", id, .. cluster], output, error));
        Assert.False(await store.RevokeAsync(id, DateTimeOffset.UtcNow, CancellationToken.None));
    }

    [Fact]
    public async Task The_keys_command_refuses_what_it_cannot_do_with_a_usage_message()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        Assert.Equal(2, await KeysCommand.RunAsync(["create", "--name", "x", "--role", "owner"], output, error));
        Assert.Equal(2, await KeysCommand.RunAsync(["create", "--role", "admin"], output, error));
        Assert.Equal(2, await KeysCommand.RunAsync(["create", "--name", new string('n', 101), "--role", "admin"], output, error));
        Assert.Equal(2, await KeysCommand.RunAsync(["create", "--name", "tab\tname", "--role", "admin"], output, error));
        Assert.Equal(2, await KeysCommand.RunAsync(["revoke"], output, error));
        Assert.Equal(2, await KeysCommand.RunAsync(["rotate"], output, error));
        Assert.Empty(output.ToString());
        Assert.Contains("keys create needs --name", error.ToString(), StringComparison.Ordinal);
    }
}
