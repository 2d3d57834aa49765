using System.Text.Json;
using DataPlatform.Api.Endpoints;
using DataPlatform.Api.Health;
using DataPlatform.Api.Lake;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using DataPlatform.Api.Realtime;
using DataPlatform.Api.Security;
using DataPlatform.Contracts.Serialization;
using DataPlatform.Contracts.Telemetry;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.Api;

/// <summary>Registers and maps everything DataPlatform serves over HTTP.</summary>
public static class ServingExtensions
{
    public static IServiceCollection AddDataPlatformServing(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Problems.FillDetail);
        // Requests the server cannot read become exceptions, which ProblemExceptionHandler answers with a
        // problem detail that says what to fix (by default they are bare 400s).
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<JsonOptions>(options => UseSnakeCase(options.SerializerOptions));
        services.AddSignalR().AddJsonProtocol(options => UseSnakeCase(options.PayloadSerializerOptions));
        services.TryAddSingleton<PlatformMetrics>();
        services.Configure<HubOptions>(options => options.AddFilter<HubConnectionMetrics>());
        services.AddHostedService<KpiHubRelay>();
        services.AddSingleton<HealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<HealthMonitor>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LakeOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LakeOptions>, LakeOptionsValidator>());
        services.AddSingleton(sp => new LakeQueryEngine(sp.GetRequiredService<IOptions<LakeOptions>>().Value, PlatformTables.All));
        services.AddSingleton(new LakeLineage(PlatformTables.All));
        return services;
    }

    public static WebApplication UseDataPlatformServing(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.MapHealthEndpoints();
        app.MapLiveStateEndpoints();
        app.MapLakeEndpoints();
        app.MapKeyEndpoints();
        app.MapUserExportEndpoints();
        app.MapUserErasureEndpoints();
        app.MapQualityEndpoints();
        app.MapHub<KpiHub>(KpiHub.Route).RequireAuthorization(ApiPolicies.Viewer);
        return app;
    }

    private static void UseSnakeCase(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.TypeInfoResolverChain.Insert(0, EventJsonContext.Default);
        options.TypeInfoResolverChain.Insert(1, ApiJsonContext.Default);
    }
}
