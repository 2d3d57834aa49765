using System.Net;
using Microsoft.Extensions.Options;

namespace DataPlatform.Api.Security;

/// <summary>
/// The keys this silo checks requests against: the store's list, kept for
/// <see cref="SecurityOptions.KeyCacheDuration"/> (a key created or revoked here counts at once). Also decides
/// whether a request without a key is let in: only from this machine, to a silo told to listen on loopback
/// alone, while the store has never held a key (revoking the last key does not open the silo again).
/// </summary>
public sealed class ApiKeyDirectory(IApiKeyStore store, IOptions<SecurityOptions> options, ListeningAddresses listening, TimeProvider clock)
{
    private volatile KeyList? _cached;

    // Bumped by every change made here: a list read before the change is not kept after it.
    private long _changes;

    public IApiKeyStore Store => store;

    /// <summary>True when a request from <paramref name="client"/> needs no key.</summary>
    public async ValueTask<bool> IsOpenAsync(IPAddress? client, CancellationToken cancellationToken) =>
        listening.LoopbackOnly && client is not null && IPAddress.IsLoopback(client) && (await KeysAsync(cancellationToken)).Count == 0;

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
        Forget();
        await store.AddAsync(key, cancellationToken);
        Forget();
        return (key, token);
    }

    /// <summary>Revokes a key; the key as revoked, or null when no active key has the id.</summary>
    public async Task<ApiKey?> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        var at = clock.GetUtcNow();
        Forget();
        var revoked = await store.RevokeAsync(id, at, cancellationToken);
        Forget();
        return revoked ? (await KeysAsync(cancellationToken)).FirstOrDefault(key => key.Id == id) : null;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken) => await KeysAsync(cancellationToken);

    private async ValueTask<IReadOnlyList<ApiKey>> KeysAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && clock.GetUtcNow() - fresh.ReadAt < options.Value.KeyCacheDuration)
        {
            return fresh.Keys;
        }
        // Two requests may both read the store when the copy expires; both copies are current.
        var changes = Interlocked.Read(ref _changes);
        var keys = await store.ListAsync(cancellationToken);
        if (Interlocked.Read(ref _changes) == changes)
        {
            _cached = new KeyList(keys, clock.GetUtcNow());
        }
        return keys;
    }

    private void Forget()
    {
        Interlocked.Increment(ref _changes);
        _cached = null;
    }

    private sealed record KeyList(IReadOnlyList<ApiKey> Keys, DateTimeOffset ReadAt);
}
