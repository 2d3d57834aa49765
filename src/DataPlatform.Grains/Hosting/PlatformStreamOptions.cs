namespace DataPlatform.Grains.Hosting;

/// <summary>Which Orleans stream provider carries DataPlatform's events (configuration section "Streaming").</summary>
public sealed class PlatformStreamOptions
{
    public const string SectionName = "Streaming";
    public const string DefaultProviderName = "events";

    /// <summary>The name of the persistent stream provider that grains subscribe through.</summary>
    public string ProviderName { get; set; } = DefaultProviderName;
}
