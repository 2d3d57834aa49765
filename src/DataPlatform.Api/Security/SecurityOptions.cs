namespace DataPlatform.Api.Security;

/// <summary>API keys and who must present one (configuration section "Security").</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>The key file of the embedded default (the cluster profile keeps keys in PostgreSQL).</summary>
    public string KeyFile { get; set; } = System.IO.Path.Combine("data", "security", "api-keys.json");

    /// <summary>
    /// An admin key (a token from <c>keys create</c> or <c>keys generate</c>) the silo makes sure exists when it
    /// starts: how a deployment that listens beyond loopback gets its first key from a secret.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>The largest request body the silo reads; a larger one is answered 413.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>SQL queries (POST /query, table previews, user exports) one key may start per minute; more are answered 429.</summary>
    public int QueriesPerMinute { get; set; } = 60;

    /// <summary>How long a silo trusts its copy of the key list: a key revoked on another silo stops working within this.</summary>
    public TimeSpan KeyCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}
