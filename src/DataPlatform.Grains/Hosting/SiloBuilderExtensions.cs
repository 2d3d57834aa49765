using DataPlatform.Analytics.Alerts;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Validation;
using DataPlatform.Contracts.Checkpoints;
using DataPlatform.Contracts.Telemetry;
using DataPlatform.Grains.Cdc;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Erasure;
using DataPlatform.Grains.Ingestion;
using DataPlatform.Grains.Ingestion.Kafka;
using DataPlatform.Grains.Kpis;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Quality;
using DataPlatform.Grains.Sessions;
using DataPlatform.Grains.Users;
using DataPlatform.Analytics.Segments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using DataPlatform.Streaming.Kafka;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Storage;

namespace DataPlatform.Grains.Hosting;

public static class SiloBuilderExtensions
{
    /// <summary>
    /// Adds DataPlatform's grains and their per-silo services (KPI pre-aggregation, the ingestion edge, the lake writer).
    /// The stream provider itself and grain storage are configured by the host.
    /// </summary>
    public static ISiloBuilder AddDataPlatformGrains(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        var services = silo.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<PlatformMetrics>();
        // Grain state is written with Orleans' own serializer: the default JSON one keeps only public
        // setters, so every aggregate written by an idle grain came back empty.
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        services.AddOptions<KpiOptions>();
        // A rule that cannot be applied stops the silo at start-up with a sentence per setting.
        services.AddOptions<AlertOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>());
        services.AddOptions<EdgeValidationOptions>();
        services.AddOptions<PlatformStreamOptions>();
        services.AddSingleton<KpiAccumulator>();
        services.AddSingleton<EventClock>();
        services.AddSingleton<KpiReportingService>();
        services.AddHostedService(sp => sp.GetRequiredService<KpiReportingService>());
        AddCheckpoints(services);
        services.AddOptions<IdleGrainOptions>();
        services.AddOptions<GrainCollectionOptions>().Configure<IOptions<IdleGrainOptions>>((collection, idle) =>
        {
            foreach (var grain in (Type[])[typeof(UserGrain), typeof(SessionGrain), typeof(CdcRowGrain)])
            {
                collection.ClassSpecificCollectionAge[grain.FullName!] = idle.Value.CollectionAge;
            }
        });
        services.AddOptions<SessionClosingOptions>();
        services.AddSingleton<OpenSessions>();
        services.AddOptions<SegmentRules>();
        services.AddSingleton<SegmentReviews>();
        services.AddSingleton(sp => new EventDecoder(
            sp.GetRequiredService<IOptions<EdgeValidationOptions>>().Value,
            sp.GetRequiredService<TimeProvider>()));
        services.AddOptions<LakeOptions>();
        services.AddSingleton(sp => QualityExpectations.Of(sp.GetRequiredService<IOptions<LakeOptions>>().Value, PlatformTables.All));
        services.AddSingleton<LakeWriter>();
        services.AddSingleton<ILakeWriterStatus>(sp => sp.GetRequiredService<LakeWriter>());
        services.AddHostedService<LakeFlushService>();
        services.TryAddSingleton<IDeadLetterSink, DeadLetterRecorder>();
        services.AddSingleton<ErasureRegister>();
        services.AddHostedService(sp => sp.GetRequiredService<ErasureRegister>());
        // How the Kafka stream provider decodes, routes and dead-letters DataPlatform's records.
        services.TryAddSingleton<IKafkaRecordDecoder, PlatformRecordDecoder>();
        services.TryAddSingleton<IKafkaStreamIdMapper, PartitionStreamIdMapper>();
        services.TryAddSingleton<IKafkaRecordEncoder, PlatformRecordEncoder>();
        services.TryAddSingleton<IKafkaDeadLetterHandler, DeadLetterForwarder>();
        services.TryAddSingleton<IKafkaRecordObserver, BronzeRecorder>();
        return silo;
    }

    /// <summary>
    /// The cluster's checkpoints: checkpointed grain storage, this silo's participant and the store (in this
    /// process unless the host registered a durable <see cref="ICheckpointStore"/> first).
    /// </summary>
    private static void AddCheckpoints(IServiceCollection services)
    {
        services.AddOptions<CheckpointOptions>();
        services.TryAddSingleton<ICheckpointStore>(sp =>
        {
            var cluster = sp.GetRequiredService<IOptions<ClusterOptions>>().Value;
            return MemoryCheckpointStore.ForCluster(cluster.ServiceId, cluster.ClusterId);
        });
        services.AddSingleton<CheckpointProgress>();
        services.AddSingleton<ICheckpointProgress>(sp => sp.GetRequiredService<CheckpointProgress>());
        services.AddSingleton<CheckpointGate>();
        services.AddSingleton<LiveGrainStates>();
        services.AddSingleton<IIncomingGrainCallFilter, StateTurnTracker>();
        services.AddSingleton<BatchedStateReader>();
        services.AddSingleton<CheckpointedGrainStorage>();
        services.AddKeyedSingleton<IGrainStorage>(CheckpointedGrainStorage.Name, (sp, _) => sp.GetRequiredService<CheckpointedGrainStorage>());
        services.AddSingleton<CheckpointParticipant>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckpointParticipant>());
        services.TryAddSingleton<IKafkaCheckpointer, PlatformCheckpointer>();
    }
}
