using DataPlatform.Contracts.Grains;
using DataPlatform.Streaming.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Runtime;

namespace DataPlatform.Api.Health;

/// <summary>GET /health: is the cluster up, are the live KPIs answering, is this silo keeping up with Kafka.</summary>
public static class HealthEndpoints
{
    /// <summary>Consumer lag (records) above which this silo reports itself degraded.</summary>
    public const long MaxHealthyLag = 100_000;

    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealthAsync).WithName("GetHealth").WithTags("Operations");
        return routes;
    }

    private static async Task<IResult> GetHealthAsync(IGrainFactory grains, IServiceProvider services, CancellationToken cancellationToken)
    {
        HealthCheckResult[] checks =
        [
            await CheckAsync("silos", async () =>
            {
                var hosts = await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                return hosts.Count > 0
                    ? new HealthCheckResult("silos", HealthStatus.Healthy, $"{hosts.Count} active silo(s)")
                    : new HealthCheckResult("silos", HealthStatus.Unhealthy, "no active silo");
            }, cancellationToken),
            await CheckAsync("kpis", async () =>
            {
                var snapshot = await grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).GetSnapshotAsync();
                return new HealthCheckResult("kpis", HealthStatus.Healthy, $"{snapshot.TotalEvents} events counted");
            }, cancellationToken),
            KafkaCheck(services.GetService(typeof(KafkaStreamStatistics)) as KafkaStreamStatistics),
        ];
        var report = new HealthReport(HealthStatus.Worst(checks.Select(check => check.Status)), checks);
        return TypedResults.Json(report, statusCode: report.Status == HealthStatus.Unhealthy
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status200OK);
    }

    /// <summary>The partitions this silo reads and how far behind it is (a silo that reads no Kafka is healthy).</summary>
    public static HealthCheckResult KafkaCheck(KafkaStreamStatistics? statistics)
    {
        if (statistics is null)
        {
            return new HealthCheckResult("kafka", HealthStatus.Healthy, "no Kafka stream provider on this silo");
        }
        var owned = statistics.Partitions.Count(partition => partition.Owned);
        var lag = statistics.TotalLag;
        var deadLetters = statistics.DeadLettersByReason.Values.Sum();
        var detail = $"{owned} partition(s) read by this silo, consumer lag {lag}, {deadLetters} dead letter(s)";
        return new HealthCheckResult("kafka", lag > MaxHealthyLag ? HealthStatus.Degraded : HealthStatus.Healthy, detail);
    }

    private static async Task<HealthCheckResult> CheckAsync(string name, Func<Task<HealthCheckResult>> check, CancellationToken cancellationToken)
    {
        try
        {
            return await check().WaitAsync(CheckTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(name, HealthStatus.Unhealthy, ex.Message);
        }
    }
}
