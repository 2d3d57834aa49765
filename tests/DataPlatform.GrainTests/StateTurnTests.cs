using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Grains.Checkpoints;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace DataPlatform.GrainTests;

/// <summary>
/// A checkpoint serializes only the states whose grain had a turn since the last one. A stream delivery and
/// a timer tick are turns as much as a call: a state changed by either is written by the next checkpoint,
/// though nothing called its grain. Were either not seen as a turn, the checkpoint would skip the state, and
/// a roll-back would bring back an older one while the records that changed it were already behind the offsets.
/// </summary>
[Collection(HeldGateClusterDefinition.Name)]
public sealed class StateTurnTests(HeldGateCluster fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_state_changed_by_a_stream_delivery_alone_is_written_by_the_next_checkpoint()
    {
        const string user = "turns-streamed";
        var key = CheckpointedGrainStorage.KeyOf("user", fixture.Client.GetGrain<IUserGrain>(user).GetGrainId());

        await DeliverAsync(user, "turns-streamed-1");
        await fixture.CheckpointAsync();
        Assert.Equal(1, (await StoredAsync<UserAggregate>(key)).TotalEvents);

        await DeliverAsync(user, "turns-streamed-2");
        await fixture.CheckpointAsync();
        Assert.Equal(2, (await StoredAsync<UserAggregate>(key)).TotalEvents);
    }

    [Fact]
    public async Task A_state_changed_by_a_timer_alone_is_written_by_the_next_checkpoint()
    {
        var grain = fixture.Client.GetGrain<ITickingGrain>("turns-timer");
        var key = CheckpointedGrainStorage.KeyOf("ticks", grain.GetGrainId());
        await grain.StartAsync();
        try
        {
            await fixture.CheckpointAsync();
            var first = (await StoredAsync<TickCount>(key)).Ticks;

            // Ticks counted after that checkpoint, with no call to the grain since.
            var ticked = TickingGrain.TicksSoFar;
            await Eventually.HoldsAsync(() => Task.FromResult(TickingGrain.TicksSoFar), ticks => ticks > ticked + 1, Timeout, "timer ticks");
            await fixture.CheckpointAsync();

            Assert.True((await StoredAsync<TickCount>(key)).Ticks > first, "the second checkpoint did not write what the timer changed");
        }
        finally
        {
            await grain.StopAsync();
        }
    }

    /// <summary>Publishes one app event of the user and waits until the KPIs count it, without calling the user's grain.</summary>
    private async Task DeliverAsync(string user, string eventId)
    {
        var kpis = fixture.Client.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope);
        var before = (await kpis.GetSnapshotAsync()).TotalEvents;
        await fixture.Client.GetStreamProvider(TwoSiloCluster.StreamProvider)
            .GetStream<AppEvent>(StreamId.Create(StreamNamespaces.AppEvents, user))
            .OnNextAsync(new AppEvent { EventId = eventId, UserId = user, EventType = "click", AppType = "web", Timestamp = DateTimeOffset.UtcNow });
        await Eventually.HoldsAsync(kpis.GetSnapshotAsync, snapshot => snapshot.TotalEvents > before, Timeout, $"the KPIs counting {eventId}");
    }

    private async Task<T> StoredAsync<T>(StateKey key)
    {
        var payload = await fixture.PrimaryServices.GetRequiredService<ICheckpointStore>().ReadStateAsync(key, CancellationToken.None);
        Assert.NotNull(payload);
        return fixture.PrimaryServices.GetRequiredService<IGrainStorageSerializer>().Deserialize<T>(new BinaryData(payload))!;
    }
}
