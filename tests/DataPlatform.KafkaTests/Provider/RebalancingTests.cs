namespace DataPlatform.KafkaTests.Provider;

public sealed class RebalancingTests
{
    [Fact]
    public async Task Partitions_spread_over_three_silos_and_a_stopped_silo_hands_its_partitions_over_without_loss()
    {
        await using var grid = await KafkaGrid.StartAsync(silos: 3, partitions: 8);
        var keys = Enumerable.Range(0, 40).Select(i => $"rebalance-{i}").ToList();

        await grid.ProduceAsync(keys, 1, 50);
        await KafkaGrid.WaitForAllAsync(keys, 50, TimeSpan.FromSeconds(60));

        var ownedByThree = await OwnedWhenSettledAsync(grid, 3);
        Assert.Equal([2, 3, 3], ownedByThree);
        // Every silo's own receivers read records of the partitions it owns.
        Assert.All(grid.Cluster.Silos, silo =>
            Assert.True(KafkaGrid.StatisticsOf(silo).Partitions.Where(p => p.Owned).Sum(p => p.Records) > 0));

        // More records while one silo leaves: its partitions move to the other two.
        var producing = grid.ProduceAsync(keys, 51, 150, pause: TimeSpan.FromMilliseconds(20));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await grid.Cluster.StopSiloAsync(grid.Cluster.SecondarySilos[0]);
        await producing;
        await grid.WaitForAgentsAsync(silos: 2);
        await KafkaGrid.WaitForAllAsync(keys, 150, TimeSpan.FromSeconds(90));

        var ownedByTwo = await OwnedWhenSettledAsync(grid, 2);
        Assert.Equal([4, 4], ownedByTwo);
        foreach (var key in keys)
        {
            Assert.Equal(150, DeliveryLog.DistinctCount(key));
            Assert.True(DeliveryLog.ArrivesInOrder(key, out var problem), problem);
        }
    }

    // Ownership flags flip when receivers start and stop; read them once the agents match the silos.
    private static async Task<int[]> OwnedWhenSettledAsync(KafkaGrid grid, int silos)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int[] owned;
        do
        {
            owned = [.. grid.OwnedPartitionsPerSilo().Order()];
            if (owned.Length == silos && owned.Sum() == grid.Partitions)
            {
                break;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return owned;
    }
}
