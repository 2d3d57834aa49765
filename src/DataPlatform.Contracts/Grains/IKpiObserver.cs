using Orleans.Concurrency;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>A web host that relays KPI snapshots to its SignalR clients.</summary>
[Alias("dp.IKpiObserver")]
public interface IKpiObserver : IGrainObserver
{
    [OneWay, Alias("OnKpis")]
    Task OnKpisAsync(KpiSnapshot snapshot);
}
