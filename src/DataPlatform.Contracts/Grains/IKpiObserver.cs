using Orleans.Concurrency;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>A web host that relays KPI snapshots and anomaly alerts to its SignalR clients.</summary>
[Alias("dp.IKpiObserver")]
public interface IKpiObserver : IGrainObserver
{
    [OneWay, Alias("OnKpis")]
    Task OnKpisAsync(KpiSnapshot snapshot);

    /// <summary>An anomaly alert opened or closed.</summary>
    [OneWay, Alias("OnAlert")]
    Task OnAlertAsync(Alert alert);
}
