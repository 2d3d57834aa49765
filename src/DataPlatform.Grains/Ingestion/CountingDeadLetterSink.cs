using DataPlatform.Analytics.Kpis;
using Microsoft.Extensions.Logging;

namespace DataPlatform.Grains.Ingestion;

/// <summary>Counts dead letters into the silo's KPIs and logs each one with its reason.</summary>
public sealed partial class CountingDeadLetterSink(KpiAccumulator kpis, ILogger<CountingDeadLetterSink> logger) : IDeadLetterSink
{
    public ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        kpis.RecordDeadLetter();
        LogDeadLetter(logger, deadLetter.Topic, deadLetter.Key, deadLetter.Reason);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dead letter on {Topic} (key {Key}): {Reason}")]
    private static partial void LogDeadLetter(ILogger logger, string topic, string? key, string reason);
}
