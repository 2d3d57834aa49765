using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Hosting;
using DataPlatform.Contracts.Messages;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataPlatform.Api.Realtime;

/// <summary>
/// One per web host: registers itself with the KPI grain as an observer (refreshing the registration
/// before it expires) and relays every snapshot and alert to this host's SignalR clients.
/// </summary>
public sealed partial class KpiHubRelay(
    IGrainFactory grains,
    IHubContext<KpiHub> hub,
    ILogger<KpiHubRelay> logger) : BackgroundService, IKpiObserver
{
    private static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(2);

    public Task OnKpisAsync(KpiSnapshot snapshot) =>
        hub.Clients.All.SendAsync(KpiHub.KpisMethod, snapshot);

    public Task OnAlertAsync(Alert alert) =>
        hub.Clients.All.SendAsync(KpiHub.AlertMethod, alert);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reference = grains.CreateObjectReference<IKpiObserver>(this);
        var kpis = grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope);
        try
        {
            await UntilStopped.RepeatAsync(async _ =>
            {
                await kpis.SubscribeAsync(reference);
                return RefreshInterval;
            }, RetryInterval, ex => LogSubscribeFailed(logger, ex), stoppingToken);
        }
        finally
        {
            grains.DeleteObjectReference<IKpiObserver>(reference);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "KPI relay not subscribed yet, retrying")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);
}
