using DataPlatform.Grains.Checkpoints;
using DataPlatform.Analytics.Alerts;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Segments;
using DataPlatform.Contracts.Events;
using DataPlatform.Streaming.Kafka;
using DataPlatform.Streaming.Kafka.Hosting;
using DataPlatform.Analytics.Validation;
using DataPlatform.Api;
using DataPlatform.Api.Health;
using DataPlatform.Api.Security;
using DataPlatform.Grains.Hosting;
using DataPlatform.Grains.Sessions;
using DataPlatform.Lake;
using DataPlatform.Silo.Development;
using DataPlatform.Silo.Security;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Streams;

namespace DataPlatform.Silo.Hosting;

/// <summary>
/// Builds the DataPlatform process: an Orleans silo (localhost clustering and memory storage, or PostgreSQL
/// when Orleans:ClusterProvider is AdoNet; the Kafka stream provider, the grains, the lake writer) with the
/// web serving layer. What the development profile adds beside it (an embedded Kafka, the in-process
/// simulator) is composed in <see cref="DevelopmentProfile"/>.
/// </summary>
public static class PlatformHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var configuration = builder.Configuration;
        var orleans = configuration.GetSection(OrleansHostingOptions.SectionName).Get<OrleansHostingOptions>() ?? new();
        var streaming = configuration.GetSection(PlatformStreamOptions.SectionName).Get<StreamingHostingOptions>() ?? new();
        var kafka = configuration.GetSection(KafkaHostingOptions.SectionName).Get<KafkaHostingOptions>() ?? new();
        var clusterDatabase = configuration.ClusterConnectionString(orleans);
        var bootstrapServers = builder.AddDevelopmentProfile(kafka);

        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.Configure<PlatformStreamOptions>(configuration.GetSection(PlatformStreamOptions.SectionName));
        builder.Services.Configure<KpiOptions>(configuration.GetSection("Kpis"));
        builder.Services.Configure<AlertOptions>(configuration.GetSection(AlertOptions.SectionName));
        builder.Services.Configure<SessionClosingOptions>(configuration.GetSection(SessionClosingOptions.SectionName));
        builder.Services.Configure<SegmentRules>(configuration.GetSection(SegmentRules.SectionName));
        builder.Services.Configure<EdgeValidationOptions>(configuration.GetSection("Validation"));
        builder.Services.Configure<LakeOptions>(configuration.GetSection(LakeOptions.SectionName));
        builder.Services.Configure<CheckpointOptions>(configuration.GetSection(CheckpointOptions.SectionName));
        builder.Services.Configure<IdleGrainOptions>(configuration.GetSection(IdleGrainOptions.SectionName));

        builder.UseOrleans(silo =>
        {
            silo.UseDataPlatformClustering(orleans, clusterDatabase);
            silo.UseDataPlatformKubernetesHosting(orleans);
            silo.AddDataPlatformGrainStorage(clusterDatabase);
            silo.UseDataPlatformReminders(clusterDatabase);
            silo.AddKafkaStreams(streaming.ProviderName, options =>
            {
                options.BootstrapServers = bootstrapServers;
                options.ConsumerGroup = kafka.ConsumerGroup;
                options.CommitInterval = kafka.CommitInterval;
                options.PollInterval = kafka.PollInterval;
                options.PollBatchSize = kafka.PollBatchSize;
                options.ReadAheadRecords = kafka.ReadAheadRecords;
                foreach (var topic in Topics.All)
                {
                    options.Topics.Add(KafkaTopicOptions.Map(topic, Topics.StreamNamespaceOf(topic)));
                }
                foreach (var (key, value) in kafka.ClientSettings)
                {
                    options.ClientSettings[key] = value;
                }
            },
            // The platform's streams have one consumer each, the partition router, by implicit subscription: without explicit ones,
            // a stream's first record costs no pub-sub grain and no write to grain storage (PostgreSQL in a cluster).
            stream => stream.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly));
            silo.AddDataPlatformGrains();
            silo.AddDashboard();
        });

        builder.Services.AddSingleton(clusterDatabase is null ? ClusterStorage.Memory : ClusterStorage.PostgreSql);
        builder.Services.AddDataPlatformServing();
        if (clusterDatabase is not null)
        {
            builder.Services.AddSingleton<IApiKeyStore>(_ => new PostgresApiKeyStore(clusterDatabase));
        }
        builder.Services.AddSingleton<IAuditSink, LakeAuditSink>();
        builder.Services.AddDataPlatformSecurity(configuration);
        builder.Services.AddOpenApi();
        builder.Services.AddDataPlatformMetrics();

        var app = builder.Build();
        app.UseDataPlatformServing();
        app.MapOpenApi().AllowAnonymous();
        app.MapOrleansDashboard(routePrefix: "/orleans").RequireAuthorization(ApiPolicies.Admin);
        app.MapDataPlatformMetrics();
        return app;
    }
}
