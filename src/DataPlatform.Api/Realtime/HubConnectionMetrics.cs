using DataPlatform.Contracts.Telemetry;
using Microsoft.AspNetCore.SignalR;

namespace DataPlatform.Api.Realtime;

/// <summary>A hub filter that keeps <see cref="PlatformMetricNames.SignalRConnections"/> at the connections open on this silo, per hub.</summary>
public sealed class HubConnectionMetrics(PlatformMetrics metrics) : IHubFilter
{
    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await next(context);
        metrics.SignalRConnectionsChanged(context.Hub.GetType().Name, +1);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            await next(context, exception);
        }
        finally
        {
            metrics.SignalRConnectionsChanged(context.Hub.GetType().Name, -1);
        }
    }
}
