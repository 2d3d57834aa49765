using System.Text;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Grains.Ingestion.Kafka;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Logging;

using DataPlatform.Grains.Erasure;

namespace DataPlatform.Grains.Ingestion;

/// <summary>Counts each dead letter into the silo's KPIs, keeps it in bronze.dead_letter and logs its reason.</summary>
public sealed partial class DeadLetterRecorder(KpiAccumulator kpis, LakeWriter lake, ErasureRegister erasures, IOptions<LakeOptions> options, ILogger<DeadLetterRecorder> logger)
    : IDeadLetterSink
{

    public ValueTask WriteAsync(DeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        if (deadLetter.Key is { } erasedKey && erasures.IsErasedKey(erasedKey.Span) || erasures.MentionsErasedUser(deadLetter.Payload.Span))
        {
            // The erasure policy: an erased user's records are dropped, even malformed ones.
            kpis.RecordErasedUserRecords(1);
            return ValueTask.CompletedTask;
        }
        kpis.RecordDeadLetter();
        if (deadLetter.FromGrain)
        {
            // Grains refuse records as they apply them: the row goes with the state that remembers the refusal.
            lake.AppendAtCheckpoint(BronzeRows.DeadLetters, BronzeRows.DeadLetter(deadLetter));
        }
        else
        {
            var position = deadLetter.Partition is { } partition ? BronzeRecorder.PositionOf(options.Value.SourceId, deadLetter.Topic, partition) : null;
            lake.Append(BronzeRows.DeadLetters, BronzeRows.DeadLetter(deadLetter), position, deadLetter.Offset ?? -1);
        }
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogDeadLetter(logger, deadLetter.Topic, deadLetter.Key is { } key ? Encoding.UTF8.GetString(key.Span) : null, deadLetter.Reason);
        }
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dead letter on {Topic} (key {Key}): {Reason}")]
    private static partial void LogDeadLetter(ILogger logger, string topic, string? key, string reason);
}
