using DataPlatform.Contracts.Grains;
using DataPlatform.Grains.Checkpoints;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.GrainTests;

/// <summary>
/// A silo runs one roll-back or resume at a time. A roll-back the coordinator stopped waiting for goes on; if
/// the resume did not wait for it, its reload could send grains back after the cluster had moved on, and the
/// records read since would never reach them again.
/// </summary>
[Collection(HeldGateClusterDefinition.Name)]
public sealed class RollBackSerializationTests(HeldGateCluster fixture)
{
    [Fact]
    public async Task A_resume_waits_for_a_roll_back_that_is_still_reloading_grain_states()
    {
        var services = fixture.PrimaryServices;
        var participant = services.GetRequiredService<CheckpointParticipant>();
        var gate = services.GetRequiredService<CheckpointGate>();
        var store = (HoldableCheckpointStore)services.GetRequiredService<ICheckpointStore>();
        var live = services.GetRequiredService<LiveGrainStates>();
        // The roll-back reloads the silo's active grain states: activate users until one lives on this silo.
        for (var user = 0; live.Count == 0; user++)
        {
            await fixture.Client.GetGrain<IUserGrain>($"roll-back-{user}").GetProfileAsync();
        }
        var record = await store.LoadAsync(CancellationToken.None);

        await participant.PauseAsync(rollingBack: true);
        Task rollingBack;
        Task resuming;
        using (var hold = store.HoldReads())
        {
            rollingBack = participant.RollBackAsync(record);
            await hold.ReadArrived;
            resuming = participant.ResumeAsync(record.CompletedEpoch, []);
            Assert.False(resuming.IsCompleted, "the resume ran while the roll-back was reloading grain states");
            Assert.True(gate.IsClosed);
        }

        await Task.WhenAll(rollingBack, resuming).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(gate.IsClosed);
    }
}
