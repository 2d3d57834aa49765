namespace DataPlatform.Silo.Hosting;

/// <summary>How this process joins its cluster (configuration section "Orleans").</summary>
public sealed class OrleansHostingOptions
{
    public const string SectionName = "Orleans";

    /// <summary>Localhost clustering, memory grain state and memory reminders: one process, nothing survives a restart.</summary>
    public const string LocalhostClustering = "Localhost";

    /// <summary>Membership, grain state and reminders in PostgreSQL (ConnectionStrings:Orleans) over ADO.NET.</summary>
    public const string AdoNetClustering = "AdoNet";

    /// <summary>
    /// <see cref="LocalhostClustering"/> (the default) or <see cref="AdoNetClustering"/> (Orleans:ClusterProvider).
    /// Not "Orleans:Clustering": Orleans itself reads that section as its own provider configuration.
    /// </summary>
    public string ClusterProvider { get; set; } = LocalhostClustering;

    /// <summary>
    /// The address other silos and clients reach this silo on, with <see cref="AdoNetClustering"/>; empty picks
    /// this host's first non-loopback address.
    /// </summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>
    /// Kubernetes hosting (Orleans:Kubernetes): the silo is named after its pod, advertises the pod's IP and
    /// watches its cluster's pods (Microsoft.Orleans.Hosting.Kubernetes). Needs <see cref="AdoNetClustering"/>,
    /// the POD_NAME and POD_NAMESPACE environment variables and a service account allowed to read pods.
    /// </summary>
    public bool Kubernetes { get; set; }

    public string ClusterId { get; set; } = "dataplatform-dev";

    public string ServiceId { get; set; } = "dataplatform";

    /// <summary>Silo-to-silo port. Always explicit: two silos on the same default ports split connections.</summary>
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>How fast a dead silo is detected, with <see cref="AdoNetClustering"/> (Orleans:Membership).</summary>
    public MembershipHostingOptions Membership { get; set; } = new();
}
