using KafkaErrorCode = Confluent.Kafka.ErrorCode;

namespace DataPlatform.KafkaTests.Provider;

public sealed class BrokerFaultTests
{
    private const short FetchApiKey = 1;

    [Fact]
    public async Task Broker_outages_leader_moves_and_fetch_errors_lose_nothing()
    {
        await using var grid = await KafkaGrid.StartAsync(silos: 2, partitions: 6, brokers: 3);
        var keys = Enumerable.Range(0, 12).Select(i => $"faults-{i}").ToList();

        var producing = grid.ProduceAsync(keys, 1, 200, pause: TimeSpan.FromMilliseconds(15));
        await Task.Delay(TimeSpan.FromSeconds(1));
        grid.Kafka.SetBrokerDown(2);
        await Task.Delay(TimeSpan.FromSeconds(2));
        grid.Kafka.SetBrokerUp(2);
        grid.Kafka.SetPartitionLeader(KafkaGrid.Topic, 0, 3);
        grid.Kafka.SetPartitionLeader(KafkaGrid.Topic, 1, 1);
        grid.Kafka.PushRequestErrors(FetchApiKey, KafkaErrorCode.NotLeaderForPartition, KafkaErrorCode.RequestTimedOut, KafkaErrorCode.NetworkException);
        await producing;

        await KafkaGrid.WaitForAllAsync(keys, 200, TimeSpan.FromSeconds(120));
        foreach (var key in keys)
        {
            Assert.Equal(200, DeliveryLog.DistinctCount(key));
            Assert.True(DeliveryLog.ArrivesInOrder(key, out var problem), problem);
        }
    }
}
