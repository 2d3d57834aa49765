using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.GrainTests;

/// <summary>
/// A KPI delta carries the recovery generation its records were applied in. A report that was still under way
/// when the cluster rolled back (the checkpoint that sent it gave up waiting) must not count once it arrives:
/// the replay counts its records again.
/// </summary>
[Collection(HeldGateClusterDefinition.Name)]
public sealed class KpiGenerationTests(HeldGateCluster fixture)
{
    [Fact]
    public async Task The_kpi_grain_ignores_a_delta_drained_before_the_last_roll_back()
    {
        // A scope of its own: the silos' reporters send to the global one.
        var kpis = fixture.Client.GetGrain<IKpiGrain>("generation-test");
        var before = await fixture.RollBackAsync();
        await kpis.ReportAsync(new KpiDelta { Events = 5, Generation = before.Generation });
        Assert.Equal(5, (await kpis.GetSnapshotAsync()).TotalEvents);

        var after = await fixture.RollBackAsync();
        Assert.Equal(before.Generation + 1, after.Generation);
        // Nothing was checkpointed: the roll-back took the board back to empty.
        Assert.Equal(0, (await kpis.GetSnapshotAsync()).TotalEvents);

        await kpis.ReportAsync(new KpiDelta { Events = 5, DeadLetters = 1, Generation = before.Generation });
        Assert.Equal((0L, 0L), await TotalsAsync(kpis));

        await kpis.ReportAsync(new KpiDelta { Events = 7, DeadLetters = 1, Generation = after.Generation });
        Assert.Equal((7L, 1L), await TotalsAsync(kpis));

        // From a silo that has not joined the checkpoints yet: no roll-back happened since it began recording.
        await kpis.ReportAsync(new KpiDelta { Events = 2 });
        Assert.Equal((9L, 1L), await TotalsAsync(kpis));
    }

    private static async Task<(long Events, long DeadLetters)> TotalsAsync(IKpiGrain kpis)
    {
        var snapshot = await kpis.GetSnapshotAsync();
        return (snapshot.TotalEvents, snapshot.DeadLetters);
    }
}
