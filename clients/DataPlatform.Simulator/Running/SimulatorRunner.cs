using DataPlatform.Simulator.Generation;

namespace DataPlatform.Simulator.Running;

/// <summary>
/// Paces generated records into a sink at the configured rate until the count or duration is reached
/// or it is cancelled. A sink that pushes back slows the run down; the lost time is not made up in a
/// burst (at most one second of backlog is caught up).
/// </summary>
public sealed class SimulatorRunner(SimulatorOptions options, IRecordSink sink, TimeProvider clock)
{
    private static readonly TimeSpan IdleWait = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The run id its records' ids derive from: the options', else the start's when a start is given,
    /// else a new one, so that a restarted run never repeats the ids of an earlier one.
    /// </summary>
    public string RunId { get; } = options?.RunId
        ?? (options?.Start is { } start ? EventGenerator.RunIdOf(start) : Guid.NewGuid().ToString("N"));

    /// <summary>Runs until done or cancelled; returns the number of records sent.</summary>
    public async Task<long> RunAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var generator = new EventGenerator(options, options.Start ?? clock.GetUtcNow(), RunId);
        var started = clock.GetTimestamp();
        var paceStart = started;
        long sent = 0;
        long sentSincePaceStart = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested && (options.Count is not { } count || sent < count))
            {
                if (options.Duration is { } duration && clock.GetElapsedTime(started) >= duration)
                {
                    break;
                }
                var due = (long)(clock.GetElapsedTime(paceStart).TotalSeconds * options.Rate) + 1;
                if (sentSincePaceStart >= due)
                {
                    await Task.Delay(IdleWait, clock, cancellationToken);
                    continue;
                }
                if (due - sentSincePaceStart > options.Rate)
                {
                    paceStart = clock.GetTimestamp();
                    sentSincePaceStart = 0;
                }
                await sink.SendAsync(generator.Next(), cancellationToken);
                sent++;
                sentSincePaceStart++;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller: what was sent is reported.
        }
        return sent;
    }
}
