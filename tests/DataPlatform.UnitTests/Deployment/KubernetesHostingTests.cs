using DataPlatform.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Hosting.Kubernetes;

namespace DataPlatform.UnitTests.Deployment;

/// <summary>Orleans:Kubernetes switches Orleans' Kubernetes hosting on, and only with the PostgreSQL cluster profile.</summary>
public sealed class KubernetesHostingTests
{
    [Fact]
    public void Without_Orleans_Kubernetes_the_silo_does_not_call_the_Kubernetes_API()
    {
        var silo = new ServiceSilo();

        silo.UseDataPlatformKubernetesHosting(new OrleansHostingOptions { ClusterProvider = OrleansHostingOptions.AdoNetClustering });

        Assert.DoesNotContain(silo.Services, service => service.ImplementationType == typeof(KubernetesClusterAgent));
    }

    [Fact]
    public void With_Orleans_Kubernetes_the_cluster_agent_joins_the_silo()
    {
        var silo = new ServiceSilo();

        silo.UseDataPlatformKubernetesHosting(new OrleansHostingOptions { ClusterProvider = OrleansHostingOptions.AdoNetClustering, Kubernetes = true });

        Assert.Contains(silo.Services, service => service.ImplementationType == typeof(KubernetesClusterAgent));
    }

    [Fact]
    public void Kubernetes_hosting_without_the_cluster_profile_stops_with_a_sentence()
    {
        var silo = new ServiceSilo();

        var error = Assert.Throws<InvalidOperationException>(() =>
            silo.UseDataPlatformKubernetesHosting(new OrleansHostingOptions { Kubernetes = true }));

        Assert.Equal(
            "Orleans:Kubernetes is true but Orleans:ClusterProvider is 'Localhost': Kubernetes hosting needs the cluster profile (Orleans:ClusterProvider=AdoNet and ConnectionStrings:Orleans).",
            error.Message);
        Assert.Empty(silo.Services);
    }

    private sealed class ServiceSilo : ISiloBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();

        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
