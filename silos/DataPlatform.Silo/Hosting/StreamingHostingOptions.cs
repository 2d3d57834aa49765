using DataPlatform.Grains.Hosting;

namespace DataPlatform.Silo.Hosting;

/// <summary>The stream transport of this host (configuration section "Streaming").</summary>
public sealed class StreamingHostingOptions
{
    public string ProviderName { get; set; } = PlatformStreamOptions.DefaultProviderName;
}
