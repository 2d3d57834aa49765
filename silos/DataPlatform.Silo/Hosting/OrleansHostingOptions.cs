namespace DataPlatform.Silo.Hosting;

/// <summary>How this process joins its cluster (configuration section "Orleans").</summary>
public sealed class OrleansHostingOptions
{
    public const string SectionName = "Orleans";

    public string ClusterId { get; set; } = "dataplatform-dev";

    public string ServiceId { get; set; } = "dataplatform";

    /// <summary>Silo-to-silo port. Always explicit: two silos on the same default ports split connections.</summary>
    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;
}
