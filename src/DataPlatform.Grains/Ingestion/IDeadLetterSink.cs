namespace DataPlatform.Grains.Ingestion;

/// <summary>Where rejected records go. Implementations must not throw for a well-formed dead letter.</summary>
public interface IDeadLetterSink
{
    ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken);
}
