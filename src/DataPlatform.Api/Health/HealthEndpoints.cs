using DataPlatform.Contracts.Grains;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans.Runtime;

namespace DataPlatform.Api.Health;

/// <summary>GET /health: is the cluster up and are the live KPIs answering.</summary>
public static class HealthEndpoints
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", GetHealthAsync).WithName("GetHealth").WithTags("Operations");
        return routes;
    }

    private static async Task<IResult> GetHealthAsync(IGrainFactory grains, CancellationToken cancellationToken)
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
        ];
        var report = new HealthReport(HealthStatus.Worst(checks.Select(check => check.Status)), checks);
        return TypedResults.Json(report, statusCode: report.Status == HealthStatus.Unhealthy
            ? StatusCodes.Status503ServiceUnavailable
            : StatusCodes.Status200OK);
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
