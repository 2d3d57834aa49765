using DataPlatform.Api.Security;
using DataPlatform.Contracts.Telemetry;
using DataPlatform.Streaming.Kafka;
using Npgsql;
using OpenTelemetry.Metrics;

namespace DataPlatform.Silo.Hosting;

/// <summary>
/// /metrics in Prometheus' text format through OpenTelemetry: DataPlatform's meter, Orleans' runtime meters, ASP.NET
/// Core's request metrics and Npgsql's (cluster profile). docs/monitoring.md lists what is exported.
/// </summary>
public static class MetricsHostingExtensions
{
    /// <summary>The path Prometheus scrapes.</summary>
    public const string Path = "/metrics";

    public static IServiceCollection AddDataPlatformMetrics(this IServiceCollection services)
    {
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PlatformMetricNames.MeterName, PlatformMetricNames.OrleansMeters)
            .AddAspNetCoreInstrumentation()
            .AddNpgsqlInstrumentation()
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>
    /// Lets the DataPlatform meter observe this silo's Kafka receivers and maps /metrics for admins (docs/security.md):
    /// the figures name topics, tables and reason codes, never users.
    /// </summary>
    public static WebApplication MapDataPlatformMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<KafkaStreamStatistics>() is { } kafka)
        {
            app.Services.GetRequiredService<PlatformMetrics>().ObserveKafka(
                () => kafka.Partitions.Select(partition =>
                    new PartitionFigures(partition.Topic, partition.Partition, partition.Records, partition.LostRecords, partition.Lag, partition.Owned)),
                () => kafka.DeadLettersByReason);
        }
        app.MapPrometheusScrapingEndpoint(Path).RequireAuthorization(ApiPolicies.Admin);
        return app;
    }
}
