using DataPlatform.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// A silo configured by the same cluster-profile extensions as PlatformHost with Orleans:ClusterProvider=AdoNet,
/// on free ports, without the platform's grains and streams.
/// </summary>
public static class PostgresSilo
{
    public static async Task<IHost> StartAsync(string connectionString, string clusterId)
    {
        var orleans = new OrleansHostingOptions
        {
            ClusterProvider = OrleansHostingOptions.AdoNetClustering,
            ClusterId = clusterId,
            ServiceId = clusterId,
            SiloPort = FreePorts.Next(),
            GatewayPort = FreePorts.Next(),
            AdvertisedIPAddress = "127.0.0.1",
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseDataPlatformClustering(orleans, connectionString);
            silo.AddDataPlatformGrainStorage(connectionString);
            silo.UseDataPlatformReminders(connectionString);
            // As AddDataPlatformGrains registers it for the platform's grains.
            silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return host;
    }

    public static async Task StopAsync(IEnumerable<IHost> hosts)
    {
        foreach (var host in hosts)
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
