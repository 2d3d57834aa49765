using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Validation;
using DataPlatform.Api;
using DataPlatform.Grains.Hosting;
using DataPlatform.Silo.Simulation;
using DataPlatform.Simulator;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace DataPlatform.Silo.Hosting;

/// <summary>
/// Builds the DataPlatform process: an Orleans silo (localhost clustering, memory storage, memory
/// streams) with the web serving layer and, when enabled, the in-process simulator.
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

        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.Configure<PlatformStreamOptions>(configuration.GetSection(PlatformStreamOptions.SectionName));
        builder.Services.Configure<KpiOptions>(configuration.GetSection("Kpis"));
        builder.Services.Configure<EdgeValidationOptions>(configuration.GetSection("Validation"));
        builder.Services.Configure<SimulatorOptions>(configuration.GetSection(SimulatorOptions.SectionName));

        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
            silo.AddMemoryGrainStorageAsDefault();
            silo.AddMemoryGrainStorage("PubSubStore");
            silo.AddMemoryStreams(streaming.ProviderName, streams => streams.ConfigurePartitioning(streaming.Queues));
            silo.AddDataPlatformGrains();
            silo.AddDashboard();
        });

        builder.Services.AddDataPlatformServing();
        builder.Services.AddOpenApi();
        builder.Services.AddHostedService<InProcessSimulator>();

        var app = builder.Build();
        app.UseDataPlatformServing();
        app.MapOpenApi();
        app.MapOrleansDashboard(routePrefix: "/orleans");
        return app;
    }
}
