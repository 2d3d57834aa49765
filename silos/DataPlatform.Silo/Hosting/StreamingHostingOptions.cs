using DataPlatform.Grains.Hosting;

namespace DataPlatform.Silo.Hosting;

/// <summary>The stream transport of this host (configuration section "Streaming").</summary>
public sealed class StreamingHostingOptions
{
    public string ProviderName { get; set; } = PlatformStreamOptions.DefaultProviderName;

    /// <summary>Number of stream queues; the queue balancer spreads them over the silos.</summary>
    public int Queues { get; set; } = 8;
}
