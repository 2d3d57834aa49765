using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using Orleans.Runtime;

namespace DataPlatform.GrainTests;

/// <summary>
/// The partition router: one delivery on a partition's stream holds records of many users and rows; each
/// grain gets its own, whatever the stream's key says.
/// </summary>
[Collection(TwoSiloClusterDefinition.Name)]
public sealed class PartitionRouterTests(TwoSiloCluster fixture)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task One_delivery_of_a_partition_reaches_every_user_and_row_it_is_about_once()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var streams = fixture.Client.GetStreamProvider(TwoSiloCluster.StreamProvider);
        var events = Enumerable.Range(0, 12).Select(i => new AppEvent
        {
            EventId = $"router-event-{i}", UserId = $"router-user-{i % 3}", SessionId = $"router-session-{i % 3}",
            EventType = "click", AppType = "web", Timestamp = at.AddSeconds(i),
        }).ToList();
        var changes = Enumerable.Range(0, 2).Select(i => new CdcChange
        {
            Op = "c",
            TsMs = at.AddSeconds(i).ToUnixTimeMilliseconds(),
            Source = new CdcSource { Table = "products" },
            After = new Dictionary<string, string?> { ["product_id"] = $"router-product-{i}", ["name"] = $"Product {i}", ["price"] = "10" },
        }).ToList();

        await streams.GetStream<AppEvent>(StreamId.Create(StreamNamespaces.AppEvents, "topic_app_events-0")).OnNextBatchAsync(events);
        await streams.GetStream<CdcChange>(StreamId.Create(StreamNamespaces.CdcChanges, "topic_cdc_changes-0")).OnNextBatchAsync(changes);

        for (var user = 0; user < 3; user++)
        {
            var profile = await Eventually.HoldsAsync(
                () => fixture.Client.GetGrain<IUserGrain>($"router-user-{user}").GetProfileAsync(), p => p?.TotalEvents == 4, Deadline, $"router-user-{user}'s four events");
            Assert.Equal(4, profile!.EventsByType["click"]);
            Assert.Equal([$"router-session-{user}"], await fixture.Client.GetGrain<IUserGrain>($"router-user-{user}").GetSessionIdsAsync());
        }
        Assert.Null(await fixture.Client.GetGrain<IUserGrain>("topic_app_events-0").GetProfileAsync());
        for (var product = 0; product < 2; product++)
        {
            var row = await Eventually.HoldsAsync(
                () => fixture.Client.GetGrain<ICdcRowGrain>($"products:router-product-{product}").GetRowAsync(), r => r is not null, Deadline, $"router-product-{product}");
            Assert.Equal($"Product {product}", row!["name"]);
        }
    }
}
