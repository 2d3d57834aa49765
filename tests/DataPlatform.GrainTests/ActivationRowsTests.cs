using DataPlatform.Analytics.Users;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace DataPlatform.GrainTests;

/// <summary>
/// A silo that dies after a checkpoint completed can take the gold rows of that checkpoint with it, unreleased,
/// and a replay rewrites them only if records of the user come after the checkpoint. A user grain therefore
/// writes its gold rows again whenever it is activated from checkpointed state.
/// </summary>
[Collection(HeldGateClusterDefinition.Name)]
public sealed class ActivationRowsTests(HeldGateCluster fixture)
{
    [Fact]
    public async Task A_user_activated_from_checkpointed_state_writes_its_gold_row_again()
    {
        const string user = "activated-from-checkpoint";
        var grain = fixture.Client.GetGrain<IUserGrain>(user);
        var services = fixture.PrimaryServices;
        // The state a silo that has since died wrote in a completed checkpoint; its gold row died with it.
        var aggregate = new UserAggregate();
        foreach (var index in Enumerable.Range(0, 3))
        {
            aggregate.TryApply(UserActivityMapper.From(new AppEvent
            {
                EventId = $"{user}-{index}", UserId = user, EventType = "click", AppType = "web", Timestamp = DateTimeOffset.UtcNow.AddMinutes(index - 10),
            }), out _);
        }
        var payload = services.GetRequiredService<IGrainStorageSerializer>().Serialize(aggregate).ToArray();
        var store = services.GetRequiredService<ICheckpointStore>();
        var record = await store.LoadAsync(CancellationToken.None);
        await store.WriteStatesAsync(record.OpenEpoch, [new StateWrite(CheckpointedGrainStorage.KeyOf("user", grain.GetGrainId()), payload)], CancellationToken.None);

        Assert.Equal(3, (await grain.GetProfileAsync())!.TotalEvents);
        await fixture.FlushLakeAsync();

        using var engine = new LakeQueryEngine(new LakeOptions { Root = fixture.LakeRoot }, PlatformTables.All);
        var rows = await engine.ExecuteAsync($"SELECT total_events FROM {GoldRows.UserSegments} WHERE user_id = '{user}'", null, CancellationToken.None);
        Assert.Equal(3, Assert.Single(rows.Rows)[0].GetInt64());
    }
}
