using DataPlatform.Simulator.Generation;
using DataPlatform.Simulator.Running;
using Microsoft.Extensions.Time.Testing;

namespace DataPlatform.UnitTests.Simulator;

public sealed class BacklogPacedSinkTests
{
    private sealed class CountingSink : IRecordSink
    {
        public int Sent;

        public ValueTask SendAsync(SimulatedRecord record, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Sent);
            return ValueTask.CompletedTask;
        }
    }

    private static readonly SimulatedRecord Record = new("topic_app_events", "u1", "{}"u8.ToArray(), null);

    [Fact]
    public async Task Sends_wait_while_the_consumers_are_too_far_behind_and_go_on_once_they_catch_up()
    {
        var clock = new FakeTimeProvider();
        var inner = new CountingSink();
        long backlog = 0;
        var sink = new BacklogPacedSink(inner, () => Interlocked.Read(ref backlog), maxBacklog: 10, clock);

        await sink.SendAsync(Record, CancellationToken.None);
        Interlocked.Exchange(ref backlog, 11);
        var held = sink.SendAsync(Record, CancellationToken.None).AsTask();
        clock.Advance(BacklogPacedSink.RecheckInterval * 3);

        Assert.False(held.IsCompleted);
        Assert.Equal(1, inner.Sent);
        Interlocked.Exchange(ref backlog, 10);
        while (!held.IsCompleted)
        {
            clock.Advance(BacklogPacedSink.RecheckInterval);
            await Task.Yield();
        }
        await held;
        Assert.Equal(2, inner.Sent);
        Assert.Equal(1, sink.Waits);
    }
}
