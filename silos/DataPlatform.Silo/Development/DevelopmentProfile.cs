using DataPlatform.Contracts.Events;
using DataPlatform.EmbeddedKafka;
using DataPlatform.Lake;
using DataPlatform.Silo.Hosting;
using DataPlatform.Simulator;

namespace DataPlatform.Silo.Development;

/// <summary>
/// The development profile, composed here and nowhere else: an embedded Kafka with the five topics when
/// Kafka:BootstrapServers is empty, and the in-process simulator producing into it. Platform:Profile selects
/// it. A production silo (the default profile) needs Kafka:BootstrapServers and starts the simulator only
/// when Simulator:Enabled says so; whatever the profile, the simulator writes into a Kafka the silo does not
/// own only with Simulator:AllowExternalKafka=true.
/// </summary>
public static class DevelopmentProfile
{
    /// <summary>
    /// Adds what the configured profile runs beside the silo and returns the bootstrap servers the silo reads:
    /// the configured Kafka, or the embedded one. A configuration that would give a production silo no Kafka,
    /// or write synthetic records into a configured Kafka without the opt-in, stops it with one sentence.
    /// </summary>
    public static string AddDevelopmentProfile(this WebApplicationBuilder builder, KafkaHostingOptions kafka)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(kafka);
        var configuration = builder.Configuration;
        var development = IsDevelopment(configuration.GetSection(PlatformProfileOptions.SectionName).Get<PlatformProfileOptions>() ?? new());
        var simulatorSection = configuration.GetSection(SimulatorOptions.SectionName);
        var simulator = simulatorSection.Get<SimulatorHostingOptions>() ?? new();
        var configuredKafka = string.IsNullOrWhiteSpace(kafka.BootstrapServers) ? null : kafka.BootstrapServers;
        if (configuredKafka is null && !development)
        {
            throw new InvalidOperationException(
                $"Kafka:BootstrapServers is empty: a production silo reads the Kafka it is given, so set Kafka:BootstrapServers, or set Platform:Profile={PlatformProfileOptions.Development} for an embedded Kafka and the simulator.");
        }
        var simulate = simulator.Enabled ?? (development && configuredKafka is null);
        if (simulate && configuredKafka is not null && !simulator.AllowExternalKafka)
        {
            throw new InvalidOperationException(
                $"Simulator:Enabled=true would write synthetic records into the Kafka at {configuredKafka} (Kafka:BootstrapServers): set Simulator:AllowExternalKafka=true as well if that Kafka is a throwaway one, or leave the simulator off.");
        }

        var bootstrapServers = configuredKafka ?? AddEmbeddedKafka(builder.Services, kafka);
        if (simulate)
        {
            AddInProcessSimulator(builder.Services, simulatorSection, bootstrapServers);
        }
        return bootstrapServers;
    }

    private static bool IsDevelopment(PlatformProfileOptions options)
    {
        var profile = options.Profile;
        if (string.Equals(profile, PlatformProfileOptions.Development, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (string.Equals(profile, PlatformProfileOptions.Production, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        throw new InvalidOperationException(
            $"Platform:Profile is '{profile}': set it to {PlatformProfileOptions.Production} or {PlatformProfileOptions.Development}.");
    }

    /// <summary>Starts an embedded Kafka with the five topics, owned by the host, and returns its address.</summary>
    private static string AddEmbeddedKafka(IServiceCollection services, KafkaHostingOptions kafka)
    {
        var options = new EmbeddedKafkaOptions { Port = kafka.EmbeddedPort };
        foreach (var topic in Topics.All)
        {
            options.Topics[topic] = kafka.Partitions;
        }
        var embedded = EmbeddedKafka.EmbeddedKafka.Start(options);
        // Its topics start empty with every start: positions recorded in the lake belong to this start only.
        services.PostConfigure<LakeOptions>(lake => lake.SourceId = $"embedded-{Guid.NewGuid():N}");
        services.AddSingleton(_ => embedded);
        services.AddHostedService<EmbeddedKafkaLifetime>();
        return embedded.BootstrapServers;
    }

    private static void AddInProcessSimulator(IServiceCollection services, IConfigurationSection section, string bootstrapServers)
    {
        services.Configure<SimulatorOptions>(section);
        // Always the Kafka this silo reads: a Simulator:BootstrapServers setting must not send it elsewhere.
        services.PostConfigure<SimulatorOptions>(options => options.BootstrapServers = bootstrapServers);
        services.AddHostedService<InProcessSimulator>();
    }
}
