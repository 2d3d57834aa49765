using System.Text.Json.Serialization;

namespace DataPlatform.Api.Security;

/// <summary>
/// An API key as it is stored: its public id, the SHA-256 of its secret (never the secret), a name saying
/// whose it is, its role, and when it was created and revoked.
/// </summary>
public sealed record ApiKey(
    string Id,
    string Name,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ApiRole>))] ApiRole Role,
    string SecretHash,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt = null)
{
    [JsonIgnore]
    public bool IsActive => RevokedAt is null;
}
