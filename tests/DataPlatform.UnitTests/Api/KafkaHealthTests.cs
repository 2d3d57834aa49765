using DataPlatform.Api.Health;
using DataPlatform.Streaming.Kafka;

namespace DataPlatform.UnitTests.Api;

public sealed class KafkaHealthTests
{
    [Fact]
    public void A_silo_without_kafka_is_healthy()
    {
        var check = HealthEndpoints.KafkaCheck(null);

        Assert.Equal(HealthStatus.Healthy, check.Status);
        Assert.Equal("kafka", check.Name);
    }

    [Fact]
    public void A_silo_with_no_partitions_yet_reports_zero_lag()
    {
        using var statistics = new KafkaStreamStatistics();

        var check = HealthEndpoints.KafkaCheck(statistics);

        Assert.Equal(HealthStatus.Healthy, check.Status);
        Assert.Equal("0 partition(s) read by this silo, consumer lag 0, 0 dead letter(s)", check.Detail);
    }
}
