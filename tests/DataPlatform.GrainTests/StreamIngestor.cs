using DataPlatform.Analytics.Validation;
using DataPlatform.Contracts.Events;
using DataPlatform.Grains.Ingestion;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.GrainTests;

/// <summary>
/// The Kafka edge's work done in-process, for clusters on memory streams: keeps the raw record in bronze,
/// decodes and validates it, sends rejects to the dead letter sink, and publishes valid records to the
/// stream of (topic namespace, the record's stream key). Waits while the stream provider pushes back (a
/// full queue), so nothing is dropped. The platform itself ingests only through the Kafka stream provider.
/// </summary>
public sealed partial class StreamIngestor(
    IStreamProvider streams,
    EventDecoder decoder,
    IDeadLetterSink deadLetters,
    LakeWriter lake,
    TimeProvider clock,
    ILogger<StreamIngestor> logger)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    /// <summary>Returns true when the record was published, false when it went to the dead letters.</summary>
    public async ValueTask<bool> IngestAsync(string topic, string? key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var keyBytes = key is null ? default : System.Text.Encoding.UTF8.GetBytes(key);
        lake.Append(
            PlatformTables.BronzeTableOf(topic),
            BronzeRows.Record(keyBytes, key is not null, payload.Span, null, null, null, clock.GetUtcNow(), BronzeRows.InProcess));
        var result = decoder.Decode(topic, payload);
        if (!result.IsValid)
        {
            await deadLetters.WriteAsync(new DeadLetter(topic, key is null ? (ReadOnlyMemory<byte>?)null : keyBytes, result.Reason!, payload, clock.GetUtcNow()), cancellationToken);
            return false;
        }

        var streamKey = RecordKeys.StreamKeyOf(result.Value!);
        var stream = StreamId.Create(Topics.StreamNamespaceOf(topic), streamKey);
        await PublishAsync(stream, result.Value!, cancellationToken);
        return true;
    }

    private async Task PublishAsync(StreamId streamId, object record, CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await (record switch
                {
                    AppEvent appEvent => streams.GetStream<AppEvent>(streamId).OnNextAsync(appEvent),
                    ClickstreamEvent click => streams.GetStream<ClickstreamEvent>(streamId).OnNextAsync(click),
                    CdcChange change => streams.GetStream<CdcChange>(streamId).OnNextAsync(change),
                    UserProfileEvent profile => streams.GetStream<UserProfileEvent>(streamId).OnNextAsync(profile),
                    ExternalEvent external => streams.GetStream<ExternalEvent>(streamId).OnNextAsync(external),
                    _ => throw new ArgumentException($"Not a contract record: {record.GetType().Name}", nameof(record)),
                });
                return;
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or ArgumentException or OutOfMemoryException))
            {
                // A full queue or a queue moving between silos: wait and publish the same record again.
                if (attempt % 20 == 1)
                {
                    LogBackPressure(logger, ex, streamId.ToString(), attempt);
                }
                await Task.Delay(backoff, clock, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream {Stream} pushed back (attempt {Attempt}), retrying")]
    private static partial void LogBackPressure(ILogger logger, Exception exception, string stream, int attempt);
}
