using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Kpis;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace DataPlatform.GrainTests;

/// <summary>
/// Records the analytics cannot hold, reaching grains past the edge: none may multiply a figure, lose the
/// other records of its batch, or block the figures that come after it.
/// </summary>
[Collection(TwoSiloClusterDefinition.Name)]
public sealed class PoisonRecordTests(TwoSiloCluster fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private Task<KpiSnapshot> KpisAsync() => fixture.Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).GetSnapshotAsync();

    [Fact]
    public async Task A_value_past_the_limits_in_the_middle_of_a_batch_is_dead_lettered_and_the_rest_applies_once()
    {
        const string user = "poison-batch-user";
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var events = Enumerable.Range(0, 10).Select(i => new AppEvent
        {
            EventId = $"poison-batch-{i}", UserId = user, EventType = "purchase", AppType = "ios", Timestamp = at.AddSeconds(i),
            Value = i == 5 ? 1e30 : 10,
        }).ToList();
        var before = await KpisAsync();

        var stream = fixture.Client.GetStreamProvider(TwoSiloCluster.StreamProvider)
            .GetStream<AppEvent>(StreamId.Create(StreamNamespaces.AppEvents, user));
        await stream.OnNextBatchAsync(events);
        // A redelivery of the same batch changes nothing.
        await stream.OnNextBatchAsync(events);

        var profile = await Eventually.HoldsAsync(
            () => fixture.Client.GetGrain<IUserGrain>(user).GetProfileAsync(), p => p?.TotalEvents == 9, Deadline, "the user's nine events");
        Assert.Equal(90m, profile!.TotalRevenue);
        await Eventually.HoldsAsync(KpisAsync, k => k.TotalEvents - before.TotalEvents == 9 && k.DeadLetters - before.DeadLetters == 1,
            Deadline, "nine events and one dead letter in the KPIs");

        await fixture.FlushLakeAsync();
        using var lake = new LakeQueryEngine(new LakeOptions { Root = fixture.LakeRoot }, PlatformTables.All);
        var silver = await lake.ExecuteAsync($"SELECT count(*), count(DISTINCT event_id) FROM silver.app_events WHERE user_id = '{user}'", null, CancellationToken.None);
        Assert.Equal([9L, 9L], silver.Rows.Single().EnumerateArray().Select(value => value.GetInt64()));
        var letters = await lake.ExecuteAsync(
            "SELECT reason FROM bronze.dead_letter WHERE decode(record_value) LIKE '%poison-batch-5%'", null, CancellationToken.None);
        Assert.Equal("out_of_range:value", Assert.Single(letters.Rows)[0].GetString());
        await Task.Delay(TimeSpan.FromSeconds(2));
        var after = await KpisAsync();
        Assert.Equal((9, 1), (after.TotalEvents - before.TotalEvents, after.DeadLetters - before.DeadLetters));
    }

    [Fact]
    public async Task A_kpi_delta_the_kpi_grain_cannot_hold_is_not_retried_forever_and_does_not_block_later_figures()
    {
        var services = fixture.PrimaryServices;
        var accumulator = services.GetRequiredService<KpiAccumulator>();
        var reporting = services.GetServices<IHostedService>().OfType<KpiReportingService>().Single();
        var kpi = fixture.Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope);
        var day = new DateOnly(2001, 1, 1);
        var huge = new OrderState
        {
            OrderId = "poison-order-1", CustomerId = "poison-customer", TotalAmount = decimal.MaxValue,
            OrderDate = new DateTimeOffset(2001, 1, 1, 12, 0, 0, TimeSpan.Zero), Status = "paid",
        };
        accumulator.RecordOrderChange(null, huge);
        await Eventually.HoldsAsync(() => kpi.GetDailySummaryAsync(day), summary => summary.Orders == 1, Deadline, "the first order");
        var before = await KpisAsync();
        var rejectedBefore = reporting.RejectedParts;

        // Its day's revenue can no longer be held, but the five events in the same delta still count, once.
        accumulator.RecordOrderChange(null, huge with { OrderId = "poison-order-2" });
        var at = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
        {
            accumulator.RecordEvent(new UserActivity { EventId = $"poison-kpi-{i}", UserId = "poison-kpi-user", EventType = "click", Timestamp = at }, default);
        }

        await Eventually.HoldsAsync(() => Task.FromResult(reporting.RejectedParts), rejected => rejected == rejectedBefore + 1, Deadline, "the refused part");
        await Eventually.HoldsAsync(KpisAsync, k => k.TotalEvents - before.TotalEvents == 5, Deadline, "the five events");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Equal(5, (await KpisAsync()).TotalEvents - before.TotalEvents);
        Assert.Equal(rejectedBefore + 1, reporting.RejectedParts);
        Assert.Equal(1, (await kpi.GetDailySummaryAsync(day)).Orders);

        // Later figures of the same day flow again.
        accumulator.RecordOrderChange(huge, null);
        await Eventually.HoldsAsync(() => kpi.GetDailySummaryAsync(day), summary => summary.Orders == 0, Deadline, "the order taken back");
    }
}
