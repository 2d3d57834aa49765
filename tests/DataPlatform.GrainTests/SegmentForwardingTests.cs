using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.GrainTests;

/// <summary>
/// The KPI grain forwards segment changes to the segment grains once a second, but never while a
/// checkpoint holds the gate: a forward in a roll-back could reach a segment grain already reloaded,
/// and the records read again would count the same changes twice.
/// </summary>
[Collection(HeldGateClusterDefinition.Name)]
public sealed class SegmentForwardingTests(HeldGateCluster fixture)
{
    [Fact]
    public async Task Segment_changes_wait_while_the_checkpoint_gate_is_closed_and_reach_the_segment_once_it_opens()
    {
        const string segment = SegmentNames.Regular;
        var segmentGrain = fixture.Client.GetGrain<ISegmentGrain>(segment);
        var change = new SegmentStats { Users = 3, EngagementSum = 150, Revenue = 42.5m };
        // Other tests of the cluster may have put users in the segment already.
        var before = await segmentGrain.GetSummaryAsync();

        foreach (var gate in fixture.Gates)
        {
            await gate.CloseAsync(CancellationToken.None);
        }
        try
        {
            await fixture.Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope)
                .ReportAsync(new KpiDelta { Segments = new(StringComparer.Ordinal) { [segment] = change } });
            // Three forwarding ticks pass with the gate closed.
            await Task.Delay(TimeSpan.FromSeconds(3.5));
            Assert.Equal(before, await segmentGrain.GetSummaryAsync());
        }
        finally
        {
            foreach (var gate in fixture.Gates)
            {
                gate.Open();
            }
        }

        var summary = await Eventually.HoldsAsync(segmentGrain.GetSummaryAsync, summary => summary.Users != before.Users,
            TimeSpan.FromSeconds(30), "segment changes forwarded");
        Assert.Equal((before.Users + 3, before.TotalRevenue + 42.5m), (summary.Users, summary.TotalRevenue));
        // Both averages are rounded to one decimal.
        Assert.Equal(((before.AvgEngagement ?? 0) * before.Users + 150) / (before.Users + 3), summary.AvgEngagement!.Value, tolerance: 0.1);
    }
}
