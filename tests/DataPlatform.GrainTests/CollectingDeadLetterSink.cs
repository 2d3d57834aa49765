using DataPlatform.Grains.Ingestion;

namespace DataPlatform.GrainTests;

/// <summary>Keeps the dead letters of an ingestor so a test can check their reasons.</summary>
public sealed class CollectingDeadLetterSink : IDeadLetterSink
{
    public List<DeadLetter> Letters { get; } = [];

    public ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        lock (Letters)
        {
            Letters.Add(deadLetter);
        }
        return ValueTask.CompletedTask;
    }
}
