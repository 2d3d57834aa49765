using DataPlatform.Grains.Checkpoints;

namespace DataPlatform.KafkaTests.Checkpoints;

/// <summary>
/// A grid that reads Kafka may roll back at any time (a silo starts reading a partition, a delivery fails)
/// and show older figures while it reads again. A test reads its figures once they are durable.
/// </summary>
internal static class CheckpointSettling
{
    /// <summary>
    /// Waits until <paramref name="caughtUp"/> holds and a checkpoint completed after it with no roll-back
    /// in between: from then on, a roll-back goes back to a state in which it still holds.
    /// </summary>
    public static async Task SettleAsync(IGrainFactory grains, Func<Task<bool>> caughtUp, TimeSpan timeout)
    {
        var coordinator = grains.GetGrain<ICheckpointCoordinatorGrain>(0);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await caughtUp())
            {
                var before = await coordinator.GetStatusAsync();
                var after = await coordinator.CheckpointNowAsync();
                if (after.CompletedEpoch > before.CompletedEpoch && after.RollBacks == before.RollBacks && !after.RollBackPending && await caughtUp())
                {
                    return;
                }
            }
            Assert.True(DateTime.UtcNow < deadline, $"the figures did not settle in a completed checkpoint within {timeout}: {await coordinator.GetStatusAsync()}");
            await Task.Delay(250);
        }
    }
}
