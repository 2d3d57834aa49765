using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using Orleans.Runtime;

namespace DataPlatform.GrainTests;

/// <summary>
/// What a grain holds survives the grain being collected while idle: a user known only by its profile
/// and an order, whose state is written with Orleans' serializer (JSON kept only public setters).
/// </summary>
[Collection(TwoSiloClusterDefinition.Name)]
public sealed class IdleCollectionTests(TwoSiloCluster fixture)
{
    [Fact]
    public async Task A_user_known_only_by_profile_and_order_keeps_both_when_collected()
    {
        const string user = "collected-user";
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var streams = fixture.Client.GetStreamProvider(TwoSiloCluster.StreamProvider);
        await streams.GetStream<UserProfileEvent>(StreamId.Create(StreamNamespaces.Users, user))
            .OnNextAsync(new UserProfileEvent { UserId = user, Timestamp = at, Country = "PT" });
        await fixture.Client.GetGrain<IUserGrain>(user).ApplyOrderAsync(new OrderState
        {
            OrderId = "collected-order", CustomerId = user, TotalAmount = 42m, OrderDate = at, Status = "paid",
        });
        await Task.Delay(TimeSpan.FromSeconds(1));

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await streams.GetStream<AppEvent>(StreamId.Create(StreamNamespaces.AppEvents, user)).OnNextAsync(new AppEvent
        {
            EventId = "collected-event", UserId = user, EventType = "click", AppType = "web", Timestamp = at,
        });

        var profile = await Eventually.HoldsAsync(
            () => fixture.Client.GetGrain<IUserGrain>(user).GetProfileAsync(), p => p is not null, TimeSpan.FromSeconds(30), "the user's event");
        Assert.Equal((42m, "PT"), (profile!.TotalRevenue, profile.Country));
        Assert.Equal(42m, profile.TotalRevenue);
    }
}
