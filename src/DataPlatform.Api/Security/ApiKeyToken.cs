using System.Security.Cryptography;
using System.Text;

namespace DataPlatform.Api.Security;

/// <summary>
/// The text a client sends: <c>dp_&lt;id&gt;_&lt;secret&gt;</c>. The id finds the key; the secret (32 random
/// bytes, base64url) is checked against the stored SHA-256. A fast hash is enough for a random secret of
/// 256 bits: there is nothing to guess from it.
/// </summary>
public static class ApiKeyToken
{
    private const string Prefix = "dp_";
    private const int IdBytes = 6;
    private const int SecretBytes = 32;

    /// <summary>A new key's id, its token (shown once) and the hash to store.</summary>
    public static (string Id, string Token, string SecretHash) Generate()
    {
        var id = Base64Url(RandomNumberGenerator.GetBytes(IdBytes)).ToLowerInvariant().Replace('-', 'x').Replace('_', 'y');
        var secret = Base64Url(RandomNumberGenerator.GetBytes(SecretBytes));
        return (id, $"{Prefix}{id}_{secret}", Hash(secret));
    }

    /// <summary>A new key to store, and its token to hand over once.</summary>
    public static (ApiKey Key, string Token) NewKey(string name, ApiRole role, DateTimeOffset createdAt)
    {
        var (id, token, hash) = Generate();
        return (new ApiKey(id, name, role, hash, createdAt), token);
    }

    /// <summary>Splits a token into its id and secret; false when it does not have the shape of one.</summary>
    public static bool TryParse(string? token, out string id, out string secret)
    {
        (id, secret) = (string.Empty, string.Empty);
        if (token is null || !token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return false;
        }
        var separator = token.IndexOf('_', Prefix.Length);
        if (separator <= Prefix.Length || separator == token.Length - 1)
        {
            return false;
        }
        (id, secret) = (token[Prefix.Length..separator], token[(separator + 1)..]);
        return true;
    }

    /// <summary>The stored form of a secret: lowercase hex SHA-256 of its UTF-8 bytes.</summary>
    public static string Hash(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    /// <summary>True when the secret is the key's, compared in constant time.</summary>
    public static bool Matches(ApiKey key, string secret)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(key.SecretHash), Encoding.ASCII.GetBytes(Hash(secret)));
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
