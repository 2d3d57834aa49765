using DataPlatform.Streaming.Kafka;

namespace DataPlatform.UnitTests.Kafka;

public sealed class KafkaConsumptionControlTests
{
    private static readonly KafkaPartition Partition = new("topic_cdc_changes", 1);

    [Fact]
    public async Task A_drain_answers_where_each_owned_partition_stands()
    {
        var control = await OwningAsync(new StandingPartition(13));

        var positions = await control.DrainAsync(CancellationToken.None);

        Assert.Equal(13, positions[Partition]);
    }

    [Fact]
    public async Task A_drain_waits_for_a_poll_that_began_before_the_pause()
    {
        // The poll reads on after the pause and hands its records over as batches at its end: a position
        // taken meanwhile stands before records whose effects then land in the checkpoint (a replay applies
        // them twice), or past records not yet delivered (a replay misses them).
        var receiver = new StandingPartition(0);
        var control = await OwningAsync(receiver);
        var poll = control.BeginPoll();

        control.Pause();
        var draining = control.DrainAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromMilliseconds(100));
        Assert.False(draining.IsCompleted, "the drain answered while a poll was still reading");

        receiver.Next = 13;
        poll.Dispose();
        Assert.Equal(13, (await draining)[Partition]);
    }

    [Fact]
    public async Task A_partition_taken_since_the_last_rewind_refuses_the_drain_until_the_next_rewind()
    {
        // The new owner reads again from the checkpoint what the old owner already delivered into grain state:
        // a checkpoint that took its position now would have the replay apply those records twice.
        var control = new KafkaConsumptionControl();
        await control.RewindAsync(1, new Dictionary<KafkaPartition, long>(), CancellationToken.None);
        control.Register(Partition, new StandingPartition(13));

        Assert.True(control.OwnershipChanged);
        await Assert.ThrowsAsync<PartitionsMovedException>(() => control.DrainAsync(CancellationToken.None));

        await control.RewindAsync(2, new Dictionary<KafkaPartition, long> { [Partition] = 0 }, CancellationToken.None);
        Assert.False(control.OwnershipChanged);
        Assert.Equal(13, (await control.DrainAsync(CancellationToken.None))[Partition]);
    }

    [Fact]
    public async Task A_partition_given_up_since_the_last_rewind_refuses_the_drain_until_the_next_rewind()
    {
        // What was delivered from it is in grain state, and no position of this silo covers it any more.
        var receiver = new StandingPartition(13);
        var control = await OwningAsync(receiver);
        control.Unregister(Partition, receiver);

        await Assert.ThrowsAsync<PartitionsMovedException>(() => control.DrainAsync(CancellationToken.None));

        await control.RewindAsync(2, new Dictionary<KafkaPartition, long>(), CancellationToken.None);
        Assert.Empty(await control.DrainAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_rewind_sends_every_owned_partition_back_and_moves_to_the_newer_generation_only()
    {
        var control = new KafkaConsumptionControl();
        var receiver = new StandingPartition(13);
        control.Register(Partition, receiver);

        await control.RewindAsync(3, new Dictionary<KafkaPartition, long> { [Partition] = 7 }, CancellationToken.None);
        await control.RewindAsync(2, new Dictionary<KafkaPartition, long>(), CancellationToken.None);

        Assert.Equal(3, control.Generation);
        Assert.Equal([7, null], receiver.Rewinds);
    }

    /// <summary>A control that owns <see cref="Partition"/> through <paramref name="receiver"/> since its last rewind.</summary>
    private static async Task<KafkaConsumptionControl> OwningAsync(StandingPartition receiver)
    {
        var control = new KafkaConsumptionControl();
        control.Register(Partition, receiver);
        await control.RewindAsync(1, new Dictionary<KafkaPartition, long> { [Partition] = 0 }, CancellationToken.None);
        return control;
    }

    /// <summary>A receiver with nothing pending, standing at a given next offset.</summary>
    private sealed class StandingPartition(long next) : IControlledPartition
    {
        public List<long?> Rewinds { get; } = [];

        public long Next { get; set; } = next;

        public int PendingBatches => 0;

        public long? NextOffset => Next;

        public Task RewindAsync(long? offset, CancellationToken cancellationToken)
        {
            Rewinds.Add(offset);
            return Task.CompletedTask;
        }

        public void StoreOffset(long offset)
        {
        }
    }
}
