using DataPlatform.Streaming.Kafka;
using DataPlatform.Streaming.Kafka.Providers;
using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.UnitTests.Kafka;

/// <summary>
/// The pulling agent moves a stream's cursor only after the delivery of its current batch returned; the
/// cache releases a batch only then, whatever else happens in the cache.
/// </summary>
public sealed class DeliveryTrackingQueueCacheTests
{
    private static readonly KafkaPartition Partition = new("app_events", 0);
    private static readonly StreamId Alice = StreamId.Create("app_events", "alice");
    private static readonly StreamId Bob = StreamId.Create("app_events", "bob");

    [Fact]
    public void A_batch_is_released_once_its_cursor_moved_past_it_not_while_it_is_delivered()
    {
        var cache = new DeliveryTrackingQueueCache(100);
        cache.AddToCache([Batch(Alice, 1, 10), Batch(Alice, 2, 11)]);
        using var cursor = cache.GetCacheCursor(Alice, null);

        Assert.True(Next(cursor));
        Assert.Equal(1, SequenceOf(cursor));
        Assert.Empty(Purged(cache));

        Assert.True(Next(cursor));
        Assert.Equal([1L], Purged(cache));
        Assert.False(Next(cursor));
        Assert.Equal([2L], Purged(cache));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_batch_whose_stream_has_no_cursor_yet_is_never_released_whatever_other_streams_do()
    {
        var cache = new DeliveryTrackingQueueCache(100);
        cache.AddToCache([Batch(Alice, 1, 10), Batch(Bob, 2, 11), Batch(Alice, 3, 12)]);
        using var alice = cache.GetCacheCursor(Alice, null);
        while (Next(alice))
        {
        }

        Assert.Equal([1L, 3L], Purged(cache));
        Assert.Equal(1, cache.Count);

        using var bob = cache.GetCacheCursor(Bob, null);
        Assert.True(Next(bob));
        Assert.Equal(2, SequenceOf(bob));
        Assert.False(Next(bob));
        Assert.Equal([2L], Purged(cache));
    }

    [Fact]
    public void A_batch_whose_delivery_failed_leaves_the_cache_without_being_released()
    {
        var cache = new DeliveryTrackingQueueCache(100);
        cache.AddToCache([Batch(Alice, 1, 10), Batch(Alice, 2, 11)]);
        using var cursor = cache.GetCacheCursor(Alice, null);

        Assert.True(Next(cursor));
        cursor.RecordDeliveryFailure();
        Assert.True(Next(cursor));
        Assert.False(Next(cursor));

        Assert.Equal([2L], Purged(cache));
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void A_cursor_that_replaces_another_at_the_delivered_token_releases_that_batch_when_it_moves_on()
    {
        var cache = new DeliveryTrackingQueueCache(100);
        cache.AddToCache([Batch(Alice, 1, 10), Batch(Alice, 2, 11)]);
        var first = cache.GetCacheCursor(Alice, null);
        Assert.True(Next(first));
        var delivered = first.GetCurrent(out _)!;

        // What the agent does when the consumer answers a handshake token: a new cursor at that token, moved onto it.
        using var second = cache.GetCacheCursor(Alice, delivered.SequenceToken);
        Assert.True(Next(second));
        Assert.Same(delivered, second.GetCurrent(out _));
        first.Dispose();
        Assert.Empty(Purged(cache));

        Assert.True(Next(second));
        Assert.Equal(2, SequenceOf(second));
        Assert.Equal([1L], Purged(cache));
    }

    [Fact]
    public void A_cursor_that_starts_at_a_later_token_releases_the_earlier_batches_of_its_stream_when_it_moves_on()
    {
        var cache = new DeliveryTrackingQueueCache(100);
        var later = Batch(Alice, 2, 11);
        cache.AddToCache([Batch(Alice, 1, 10), later, Batch(Alice, 3, 12)]);
        using var cursor = cache.GetCacheCursor(Alice, later.SequenceToken);

        Assert.True(Next(cursor));
        Assert.Equal(2, SequenceOf(cursor));
        Assert.True(Next(cursor));

        Assert.Equal([1L, 2L], Purged(cache));
    }

    [Fact]
    public void New_batches_reach_a_cursor_that_had_run_out()
    {
        var cache = new DeliveryTrackingQueueCache(100);
        cache.AddToCache([Batch(Alice, 1, 10)]);
        using var cursor = cache.GetCacheCursor(Alice, null);
        Assert.True(Next(cursor));
        Assert.False(Next(cursor));

        cache.AddToCache([Batch(Alice, 2, 11)]);

        Assert.True(Next(cursor));
        Assert.Equal(2, SequenceOf(cursor));
    }

    [Fact]
    public void A_stream_nobody_consumes_has_its_batches_released_as_they_come_until_a_cursor_opens_again()
    {
        var cache = new DeliveryTrackingQueueCache(100);
        cache.AddToCache([Batch(Alice, 1, 10)]);

        // The agent pins the first batch while it looks up subscribers, and finds none.
        cache.GetCacheCursor(Alice, null).Dispose();
        Assert.Equal([1L], Purged(cache));
        cache.AddToCache([Batch(Alice, 2, 11)]);
        Assert.Equal([2L], Purged(cache));
        Assert.Equal(0, cache.Count);

        using var consumer = cache.GetCacheCursor(Alice, null);
        cache.AddToCache([Batch(Alice, 3, 12)]);
        Assert.Empty(Purged(cache));
        Assert.True(Next(consumer));
        Assert.Equal(3, SequenceOf(consumer));
    }

    [Fact]
    public void A_consumer_that_leaves_releases_what_its_stream_held_and_the_next_batch_waits_for_a_new_cursor()
    {
        var cache = new DeliveryTrackingQueueCache(100);
        cache.AddToCache([Batch(Alice, 1, 10), Batch(Alice, 2, 11)]);
        var consumer = cache.GetCacheCursor(Alice, null);
        Assert.True(Next(consumer));

        consumer.Dispose();
        Assert.Equal([1L, 2L], Purged(cache));

        cache.AddToCache([Batch(Alice, 3, 12)]);
        Assert.Empty(Purged(cache));
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void The_cache_is_under_pressure_while_it_holds_its_capacity_of_records_however_they_are_batched()
    {
        var cache = new DeliveryTrackingQueueCache(4);
        cache.AddToCache([Batch(Alice, 1, 10, records: 3)]);
        Assert.False(cache.IsUnderPressure());
        cache.AddToCache([Batch(Bob, 2, 13)]);
        Assert.True(cache.IsUnderPressure());
        Assert.Equal(4, cache.Count);

        using var cursor = cache.GetCacheCursor(Alice, null);
        Next(cursor);
        Next(cursor);

        Assert.False(cache.IsUnderPressure());
        Assert.Equal(1, cache.Count);
    }

    private static KafkaBatchContainer Batch(StreamId stream, long sequence, long offset, int records = 1) =>
        new(stream, Partition, [.. Enumerable.Range(0, records).Select(_ => new object())],
            [.. Enumerable.Range(0, records).Select(index => offset + index)], sequence, generation: 0);

    private static bool Next(IQueueCacheCursor cursor) => cursor.MoveNextWithResult().Kind == QueueCacheCursorMoveResultKind.Success;

    private static long SequenceOf(IQueueCacheCursor cursor) => cursor.GetCurrent(out _)!.SequenceToken.SequenceNumber;

    private static List<long> Purged(DeliveryTrackingQueueCache cache) =>
        cache.TryPurgeFromCache(out var purged) ? [.. purged.Select(batch => batch.SequenceToken.SequenceNumber)] : [];
}
