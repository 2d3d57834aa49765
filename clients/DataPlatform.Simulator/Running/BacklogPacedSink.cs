using DataPlatform.Simulator.Generation;

namespace DataPlatform.Simulator.Running;

/// <summary>
/// Holds records back while the consumers are too far behind: each send waits until
/// <paramref name="backlog"/> (records produced but not yet consumed) is at most <paramref name="maxBacklog"/>.
/// A Kafka that keeps only so much per partition (the embedded one keeps about 5 MiB) would otherwise drop
/// records before they are read.
/// </summary>
public sealed class BacklogPacedSink(IRecordSink inner, Func<long> backlog, long maxBacklog, TimeProvider clock) : IRecordSink
{
    /// <summary>How often a held-back send looks at the backlog again.</summary>
    public static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(100);

    private long _waits;

    /// <summary>How many sends waited for the consumers.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    public async ValueTask SendAsync(SimulatedRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backlog);
        if (backlog() > maxBacklog)
        {
            Interlocked.Increment(ref _waits);
            while (backlog() > maxBacklog)
            {
                await Task.Delay(RecheckInterval, clock, cancellationToken);
            }
        }
        await inner.SendAsync(record, cancellationToken);
    }
}
