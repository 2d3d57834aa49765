namespace DataPlatform.Api.Security;

/// <summary>Where API keys are kept: a file in the embedded default, PostgreSQL in the cluster profile.</summary>
public interface IApiKeyStore
{
    /// <summary>Every key, revoked ones included.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Adds a key; an id that exists already is left as it is.</summary>
    Task AddAsync(ApiKey key, CancellationToken cancellationToken);

    /// <summary>Revokes a key; false when no active key has that id.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);
}
