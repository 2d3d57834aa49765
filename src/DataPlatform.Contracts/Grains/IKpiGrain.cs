using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>
/// The live KPIs of one scope (key "global"). Fed by per-silo pre-aggregators about once a second,
/// never once per event; pushes its snapshot to subscribed web hosts about once a second.
/// </summary>
[Alias("dp.IKpiGrain")]
public interface IKpiGrain : IGrainWithStringKey
{
    public const string GlobalScope = "global";

    [Alias("Report")]
    Task ReportAsync(KpiDelta delta);

    [Alias("GetSnapshot")]
    Task<KpiSnapshot> GetSnapshotAsync();

    /// <summary>Registers (or refreshes) an observer; observers not refreshed within a minute are dropped.</summary>
    [Alias("Subscribe")]
    Task SubscribeAsync(IKpiObserver observer);

    [Alias("Unsubscribe")]
    Task UnsubscribeAsync(IKpiObserver observer);
}
