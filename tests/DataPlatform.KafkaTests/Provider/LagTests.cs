using Confluent.Kafka;
using DataPlatform.Streaming.Kafka;
using DataPlatform.Streaming.Kafka.Providers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Streams;

namespace DataPlatform.KafkaTests.Provider;

/// <summary>
/// Consumer lag and records lost to retention over the embedded Kafka, with receivers driven as a pulling
/// agent drives them: each receiver has statistics of its own, as a freshly started silo would.
/// </summary>
public sealed class LagTests : IAsyncLifetime
{
    private const string Topic = "lag";
    private EmbeddedKafka.EmbeddedKafka _kafka = null!;

    public Task InitializeAsync()
    {
        _kafka = EmbeddedKafka.EmbeddedKafka.Start(new EmbeddedKafka.EmbeddedKafkaOptions { Topics = { [Topic] = 1 } });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _kafka.DisposeAsync();

    [Fact]
    public async Task A_restarted_receiver_reports_only_what_is_really_unread_or_uncommitted()
    {
        await ProduceAsync(50);
        await using (var first = await StartReceiverAsync("restarts"))
        {
            await first.ReadAsync(50, deliver: true);
            Assert.Equal(0, first.Partition.Lag);
        }

        await using (var restarted = await StartReceiverAsync("restarts"))
        {
            // Before the first poll the receiver already knows the group committed everything.
            Assert.Equal(50, restarted.Partition.CommittedOffset);
            Assert.Equal(50, restarted.Partition.HighWatermark);
            Assert.Equal(0, restarted.Partition.Lag);
            await restarted.PollAsync();
            Assert.Equal(0, restarted.Partition.Lag);

            // Read but not yet delivered is still lag; delivered is not.
            await ProduceAsync(7);
            await restarted.ReadAsync(7, deliver: false);
            Assert.Equal(57, restarted.Partition.HighWatermark);
            Assert.Equal(7, restarted.Partition.Lag);
            await restarted.DeliverAsync();
            Assert.Equal(0, restarted.Partition.Lag);
        }

        await ProduceAsync(4);
        await using var afterNewInput = await StartReceiverAsync("restarts");
        Assert.Equal(4, afterNewInput.Partition.Lag);
        await afterNewInput.PollAsync();
        Assert.Equal(4, afterNewInput.Partition.Lag);
    }

    [Theory]
    [InlineData(AutoOffsetReset.Earliest, 30)]
    [InlineData(AutoOffsetReset.Latest, 0)]
    public async Task Without_a_committed_offset_lag_counts_from_where_the_reset_policy_starts(AutoOffsetReset start, long expectedLag)
    {
        await ProduceAsync(30);

        await using var receiver = await StartReceiverAsync($"new-{start}", start);

        Assert.Equal(-1, receiver.Partition.CommittedOffset);
        Assert.Equal(expectedLag, receiver.Partition.Lag);
        await receiver.PollAsync();
        Assert.Equal(expectedLag, receiver.Partition.Lag);
    }

    [Fact]
    public async Task A_rewind_counts_the_records_to_read_again_as_lag()
    {
        await ProduceAsync(20);
        await using var receiver = await StartReceiverAsync("rewinds");
        await receiver.ReadAsync(20, deliver: true);
        Assert.Equal(0, receiver.Partition.Lag);

        await receiver.RewindAsync(5);
        var replayed = await receiver.PollAsync();
        Assert.Equal(15, receiver.Partition.Lag);

        await receiver.ReadAsync(15 - replayed, deliver: true);
        Assert.Equal(0, receiver.Partition.Lag);
    }

    [Fact]
    public async Task Records_dropped_by_retention_before_they_were_read_are_counted_as_lost()
    {
        await ProduceAsync(20);
        await using (var first = await StartReceiverAsync("loses"))
        {
            await first.ReadAsync(20, deliver: true);
        }
        // The embedded Kafka keeps about 5 MiB per partition: 9 MiB more pushes the group's offset out.
        await ProduceLargeAsync(count: 150, bytes: 60 * 1024);
        var (low, high) = Watermarks();
        Assert.True(low > 20, $"the low watermark is {low}: nothing was dropped");

        // A receiver that starts where the group stopped finds its offset gone: each offset after it is read or lost.
        await using (var restarted = await StartReceiverAsync("loses"))
        {
            Assert.True(restarted.Partition.LostRecords >= low - 20, $"{restarted.Partition.LostRecords} lost, low watermark {low}");
            var read = await restarted.ReadToEndAsync(high);
            Assert.Equal(high - 20, restarted.Partition.LostRecords + read);
            var health = Api.Health.HealthEndpoints.KafkaCheck(restarted.Statistics);
            Assert.Equal(Api.Health.HealthStatus.Unhealthy, health.Status);
            Assert.Contains($"{restarted.Partition.LostRecords} record(s) lost", health.Detail, StringComparison.Ordinal);
        }

        // A group that never committed and starts at the earliest offset lost what was dropped before it came.
        await using var newcomer = await StartReceiverAsync("arrives-late");
        var newcomerRead = await newcomer.ReadToEndAsync(high);
        Assert.Equal(high, newcomer.Partition.LostRecords + newcomerRead);
        Assert.True(newcomer.Partition.LostRecords >= low);
    }

    [Fact]
    public async Task A_receiver_that_falls_behind_the_low_watermark_while_reading_counts_what_it_skipped()
    {
        await ProduceAsync(20);
        await using var receiver = await StartReceiverAsync("falls-behind");
        await receiver.ReadAsync(20, deliver: true);
        Assert.Equal(0, receiver.Partition.LostRecords);

        // The consumer prefetches at most 4 MiB and Kafka keeps about 5 MiB: 18 MiB more cannot all be read.
        await ProduceLargeAsync(count: 300, bytes: 60 * 1024);
        var (low, high) = Watermarks();
        var read = await receiver.ReadToEndAsync(high);

        // Records the consumer had fetched before Kafka dropped them are read, not lost; the rest are lost.
        Assert.True(receiver.Partition.LostRecords > 0, "nothing counted as lost");
        Assert.Equal(high - 20, receiver.Partition.LostRecords + read);
        Assert.Equal(receiver.Partition.LostRecords, receiver.Statistics.TotalLost);
        Assert.True(low > 20);
    }

    private (long Low, long High) Watermarks()
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = _kafka.BootstrapServers, GroupId = "watermarks" }).Build();
        var watermarks = consumer.QueryWatermarkOffsets(new TopicPartition(Topic, 0), TimeSpan.FromSeconds(10));
        return (watermarks.Low.Value, watermarks.High.Value);
    }

    private async Task ProduceLargeAsync(int count, int bytes)
    {
        var random = new Random(7);
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        for (var i = 0; i < count; i++)
        {
            var value = new byte[bytes];
            random.NextBytes(value);
            producer.Produce(Topic, new Message<string, byte[]> { Key = "large", Value = value });
        }
        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }

    private async Task ProduceAsync(int count)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = _kafka.BootstrapServers }).Build();
        for (var i = 0; i < count; i++)
        {
            producer.Produce(Topic, new Message<string, string> { Key = $"k{i % 5}", Value = i.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        await Task.Run(() => producer.Flush(TimeSpan.FromSeconds(30)));
    }

    private async Task<DrivenReceiver> StartReceiverAsync(string group, AutoOffsetReset start = AutoOffsetReset.Earliest)
    {
        var statistics = new KafkaStreamStatistics();
        var services = new ServiceCollection().AddSingleton(statistics).BuildServiceProvider();
        var options = new KafkaStreamOptions
        {
            BootstrapServers = _kafka.BootstrapServers,
            ConsumerGroup = group,
            CommitInterval = TimeSpan.FromMilliseconds(200),
            StartWhenNoCommittedOffset = start,
        };
        options.Topics.Add(KafkaTopicOptions.Map(Topic));
        var factory = new KafkaAdapterFactory("lag-tests", options, services, NullLoggerFactory.Instance);
        var adapter = await factory.CreateAdapter();
        var receiver = adapter.CreateReceiver(factory.GetStreamQueueMapper().GetAllQueues().Single());
        // Orleans gives receivers 5 seconds by default; the test gives more, never relying on less.
        await receiver.Initialize(TimeSpan.FromSeconds(30));
        return new DrivenReceiver(adapter, receiver, statistics.Partitions.Single(), services, statistics);
    }

    /// <summary>One receiver and what it has handed out but not yet had delivered.</summary>
    private sealed class DrivenReceiver(
        IQueueAdapter adapter, IQueueAdapterReceiver receiver, PartitionStatistics partition, ServiceProvider services, KafkaStreamStatistics statistics)
        : IAsyncDisposable
    {
        private readonly List<IBatchContainer> _undelivered = [];

        public PartitionStatistics Partition => partition;

        public KafkaStreamStatistics Statistics => statistics;

        public async Task<int> PollAsync()
        {
            var batches = await receiver.GetQueueMessagesAsync(KafkaStreamOptions.DefaultPollBatchSize, CancellationToken.None);
            _undelivered.AddRange(batches);
            return batches.Sum(batch => batch.GetEvents<object>().Count());
        }

        /// <summary>Polls until this many records were handed out, then optionally reports them delivered.</summary>
        public async Task ReadAsync(int count, bool deliver)
        {
            var read = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (read < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"read {read} of {count} records");
                var polled = await PollAsync();
                read += polled;
                if (polled == 0)
                {
                    await Task.Delay(50);
                }
            }
            Assert.Equal(count, read);
            if (deliver)
            {
                await DeliverAsync();
            }
        }

        /// <summary>Reads and delivers until the receiver's position reaches <paramref name="end"/>; returns the records read.</summary>
        public async Task<long> ReadToEndAsync(long end)
        {
            long read = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (partition.Position < end)
            {
                Assert.True(DateTime.UtcNow < deadline, $"at offset {partition.Position} of {end} after reading {read} records");
                var polled = await PollAsync();
                read += polled;
                await DeliverAsync();
                if (polled == 0)
                {
                    await Task.Delay(50);
                }
            }
            return read;
        }

        public async Task DeliverAsync()
        {
            await receiver.MessagesDeliveredAsync([.. _undelivered], CancellationToken.None);
            _undelivered.Clear();
        }

        public async Task RewindAsync(long offset)
        {
            var rewound = await ((IControllable)adapter).ExecuteCommand(KafkaStreamCommands.Rewind, new KafkaRewindRequest { Topic = Topic, Offset = offset });
            Assert.Equal(1, rewound);
        }

        public async ValueTask DisposeAsync()
        {
            await receiver.Shutdown(TimeSpan.FromSeconds(30));
            ((IDisposable)adapter).Dispose();
            statistics.Dispose();
            await services.DisposeAsync();
        }
    }
}
