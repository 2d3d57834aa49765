using Microsoft.Extensions.Options;

namespace DataPlatform.Api.Security;

/// <summary>
/// The keys this silo checks requests against: the store's list, kept for
/// <see cref="SecurityOptions.KeyCacheDuration"/> (a key created or revoked here counts at once). Also decides
/// whether requests without a key are let in: only while the silo listens on loopback alone and no key exists.
/// </summary>
public sealed class ApiKeyDirectory(IApiKeyStore store, IOptions<SecurityOptions> options, ListeningAddresses listening, TimeProvider clock)
{
    private (IReadOnlyList<ApiKey> Keys, DateTimeOffset ReadAt)? _cached;

    public IApiKeyStore Store => store;

    /// <summary>True while requests need no key: the silo is reachable from this machine only and no key exists.</summary>
    public async ValueTask<bool> IsOpenAsync(CancellationToken cancellationToken) =>
        listening.LoopbackOnly && !(await KeysAsync(cancellationToken)).Any(key => key.IsActive);

    /// <summary>The active key a token belongs to, or null (unknown, revoked or malformed).</summary>
    public async ValueTask<ApiKey?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!ApiKeyToken.TryParse(token, out var id, out var secret))
        {
            return null;
        }
        var key = (await KeysAsync(cancellationToken)).FirstOrDefault(candidate => candidate.Id == id);
        return key is { IsActive: true } && ApiKeyToken.Matches(key, secret) ? key : null;
    }

    /// <summary>Creates a key and returns it with its token, which is never shown again.</summary>
    public async Task<(ApiKey Key, string Token)> CreateAsync(string name, ApiRole role, CancellationToken cancellationToken)
    {
        var (key, token) = ApiKeyToken.NewKey(name, role, clock.GetUtcNow());
        await store.AddAsync(key, cancellationToken);
        Forget();
        return (key, token);
    }

    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var revoked = await store.RevokeAsync(id, clock.GetUtcNow(), cancellationToken);
        Forget();
        return revoked;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => await KeysAsync(cancellationToken);

    private async ValueTask<IReadOnlyList<ApiKey>> KeysAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && clock.GetUtcNow() - fresh.ReadAt < options.Value.KeyCacheDuration)
        {
            return fresh.Keys;
        }
        // Two requests may both read the store when the copy expires; both copies are current.
        var keys = await store.ListAsync(cancellationToken);
        _cached = (keys, clock.GetUtcNow());
        return keys;
    }

    private void Forget() => _cached = null;
}
