namespace DataPlatform.Silo.Hosting;

/// <summary>
/// Kubernetes hosting, when <see cref="OrleansHostingOptions.Kubernetes"/> is set (Orleans:Kubernetes=true):
/// Orleans' Kubernetes package names the silo after its pod (POD_NAME), advertises the pod's IP (POD_IP)
/// unless Orleans:AdvertisedIPAddress is set, labels the pod with the cluster's identity, and declares a silo
/// dead as soon as its pod is deleted instead of waiting for missed probes. It supplements membership in
/// PostgreSQL; it does not replace it. Chosen by configuration, not by the presence of POD_NAME: a silo
/// starts calling the Kubernetes API only when its manifests say it has the service account to do so.
/// </summary>
public static class KubernetesHostingExtensions
{
    public static ISiloBuilder UseDataPlatformKubernetesHosting(this ISiloBuilder silo, OrleansHostingOptions orleans)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(orleans);
        if (!orleans.Kubernetes)
        {
            return silo;
        }
        if (!string.Equals(orleans.ClusterProvider, OrleansHostingOptions.AdoNetClustering, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"Orleans:Kubernetes is true but Orleans:ClusterProvider is '{orleans.ClusterProvider}': Kubernetes hosting needs the cluster profile (Orleans:ClusterProvider={OrleansHostingOptions.AdoNetClustering} and ConnectionStrings:Orleans).");
        }
        return silo.UseKubernetesHosting();
    }
}
