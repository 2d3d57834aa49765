using DataPlatform.Streaming.Kafka.Providers;

namespace DataPlatform.UnitTests.Kafka;

public sealed class PartitionCommitTrackerTests
{
    [Fact]
    public void Nothing_is_committable_before_the_first_read() => Assert.Null(new PartitionCommitTracker().CommittableOffset);

    [Fact]
    public void The_lowest_offset_of_an_undelivered_batch_holds_the_commit_back()
    {
        var tracker = new PartitionCommitTracker();
        // One poll: offsets 10..14; stream A has 10, 12, 14 (batch 1), stream B has 11, 13 (batch 2).
        foreach (var offset in new long[] { 10, 11, 12, 13, 14 })
        {
            tracker.Read(offset);
        }
        tracker.Pending(1, 10);
        tracker.Pending(2, 11);
        Assert.Equal(10, tracker.CommittableOffset);

        tracker.Released([2]);
        Assert.Equal(10, tracker.CommittableOffset);

        tracker.Released([1]);
        Assert.Equal(15, tracker.CommittableOffset);
        Assert.Equal(0, tracker.PendingBatches);
    }

    [Fact]
    public void Dead_letters_advance_the_commit_when_nothing_is_pending()
    {
        var tracker = new PartitionCommitTracker();
        tracker.Read(0);
        tracker.Read(1);

        Assert.Equal(2, tracker.CommittableOffset);
    }

    [Fact]
    public void A_batch_whose_delivery_failed_holds_the_commit_back_however_many_later_batches_are_released()
    {
        var tracker = new PartitionCommitTracker();
        for (long offset = 0; offset < 6; offset++)
        {
            tracker.Read(offset);
        }
        tracker.Pending(1, 0);
        tracker.Pending(2, 2);
        tracker.Pending(3, 4);

        tracker.Released([1, 3]);

        Assert.Equal(2, tracker.CommittableOffset);
        Assert.Equal(1, tracker.PendingBatches);
    }

    [Fact]
    public void A_rewind_restarts_the_commit_at_the_new_offset_and_stops_waiting_for_batches_read_before_it()
    {
        var tracker = new PartitionCommitTracker();
        tracker.Read(41);
        Assert.Equal(42, tracker.CommittableOffset);

        tracker.Pending(1, 41);

        tracker.RestartAt(5);
        Assert.Equal(5, tracker.CommittableOffset);
        Assert.Equal(0, tracker.PendingBatches);
        tracker.Read(5);
        Assert.Equal(6, tracker.CommittableOffset);
    }
}
