namespace DataPlatform.Silo.Hosting;

/// <summary>Which profile this silo runs (configuration section "Platform").</summary>
public sealed class PlatformProfileOptions
{
    public const string SectionName = "Platform";

    /// <summary>The silo reads the Kafka it is given (Kafka:BootstrapServers) and runs no simulator unless told to.</summary>
    public const string Production = "Production";

    /// <summary>
    /// The silo also runs the development composition: an embedded Kafka when Kafka:BootstrapServers is
    /// empty, and the in-process simulator producing into it.
    /// </summary>
    public const string Development = "Development";

    /// <summary><see cref="Production"/> (the default) or <see cref="Development"/> (Platform:Profile).</summary>
    public string Profile { get; set; } = Production;
}
