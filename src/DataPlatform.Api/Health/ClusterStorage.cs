namespace DataPlatform.Api.Health;

/// <summary>Where the cluster keeps membership, grain state and reminders, as /health's "storage" check says it.</summary>
public sealed record ClusterStorage(bool Durable, string Detail)
{
    /// <summary>The embedded default: localhost clustering and memory storage.</summary>
    public static readonly ClusterStorage Memory = new(false, "memory: not durable across restarts");

    /// <summary>The cluster profile: Orleans membership, grain state and reminders over ADO.NET.</summary>
    public static readonly ClusterStorage PostgreSql = new(true, "PostgreSQL: membership, grain state and reminders survive restarts");
}
