using DataPlatform.Streaming.Kafka.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;

namespace DataPlatform.Streaming.Kafka.Hosting;

/// <summary>Registers the Kafka stream provider on a silo or a client, like Orleans' own providers.</summary>
public static class KafkaStreamsHostingExtensions
{
    /// <summary>
    /// Adds a Kafka stream provider to a silo. The silo's pulling agents read the configured topics (one
    /// queue per partition, spread evenly over the active silos by <see cref="EvenQueueBalancer"/>, which
    /// moves queues as soon as a silo joins or leaves) unless <see cref="KafkaStreamOptions.ProducerOnly"/> is set.
    /// </summary>
    public static ISiloBuilder AddKafkaStreams(
        this ISiloBuilder builder,
        string name,
        Action<KafkaStreamOptions> configureOptions,
        Action<ISiloPersistentStreamConfigurator>? configureStream = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOptions(builder.Services, name, configureOptions, consumes: true);
        builder.Services.TryAddSingleton<KafkaStreamStatistics>();
        builder.Services.TryAddSingleton<KafkaConsumptionControl>();
        builder.AddPersistentStreams(name, KafkaAdapterFactory.Create, stream =>
        {
            stream.ConfigurePartitionBalancing((services, _) => ActivatorUtilities.CreateInstance<EvenQueueBalancer>(services));
            stream.ConfigurePullingAgent(agent => agent.Configure<IOptionsMonitor<KafkaStreamOptions>>(
                (pulling, kafka) => pulling.GetQueueMsgsTimerPeriod = kafka.Get(name).PollInterval));
            configureStream?.Invoke(stream);
        });
        return builder;
    }

    /// <summary>Adds a Kafka stream provider to a client: it publishes only.</summary>
    public static IClientBuilder AddKafkaStreams(
        this IClientBuilder builder,
        string name,
        Action<KafkaStreamOptions> configureOptions,
        Action<IClusterClientPersistentStreamConfigurator>? configureStream = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddOptions(builder.Services, name, configureOptions, consumes: false);
        builder.AddPersistentStreams(name, KafkaAdapterFactory.Create, stream => configureStream?.Invoke(stream));
        return builder;
    }

    private static void AddOptions(IServiceCollection services, string name, Action<KafkaStreamOptions> configureOptions, bool consumes)
    {
        ArgumentNullException.ThrowIfNull(configureOptions);
        services.AddOptions<KafkaStreamOptions>(name).Configure(configureOptions);
        services.AddTransient<IConfigurationValidator>(sp => new KafkaStreamOptionsValidator(
            sp.GetRequiredService<IOptionsMonitor<KafkaStreamOptions>>().Get(name), name, consumes));
    }
}
