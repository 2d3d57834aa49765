using DataPlatform.Simulator;

namespace DataPlatform.Silo.Development;

/// <summary>
/// Whether this silo runs the in-process simulator (configuration section "Simulator"; what it simulates
/// is <see cref="SimulatorOptions"/>, bound from the same section).
/// </summary>
public sealed class SimulatorHostingOptions
{
    /// <summary>
    /// Runs the simulator in this silo. When unset it runs only in the development profile with its embedded
    /// Kafka; set to false it never runs.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// Lets the simulator write into the Kafka named by Kafka:BootstrapServers, which this silo does not own.
    /// Without it, <see cref="Enabled"/> together with a configured Kafka stops the silo at start-up: synthetic
    /// records belong only in a throwaway Kafka (a local cluster's standalone embedded Kafka, a demo).
    /// </summary>
    public bool AllowExternalKafka { get; set; }
}
