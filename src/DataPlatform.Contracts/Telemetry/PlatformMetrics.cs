using System.Diagnostics.Metrics;

namespace DataPlatform.Contracts.Telemetry;

/// <summary>
/// The meter <see cref="PlatformMetricNames.MeterName"/> and all of its instruments, one per silo (a singleton):
/// the code that knows a figure records it here. The Kafka figures are kept by the receivers already, so they are
/// observed (<see cref="ObserveKafka"/>) rather than counted twice.
/// </summary>
public sealed class PlatformMetrics
{
    /// <summary>Second-scale bucket bounds: OpenTelemetry's default ones are meant for milliseconds.</summary>
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    };

    private readonly Histogram<double> _checkpointDuration;
    private readonly Histogram<double> _flushDuration;
    private readonly Counter<long> _lakeCommits;
    private readonly Histogram<double> _queryDuration;
    private readonly UpDownCounter<long> _signalRConnections;
    private KafkaFigures? _kafka;

    public PlatformMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(PlatformMetricNames.MeterName);
        _checkpointDuration = meter.CreateHistogram(PlatformMetricNames.CheckpointDuration, "s", "Consumption paused for one completed checkpoint.", advice: Seconds);
        _flushDuration = meter.CreateHistogram(PlatformMetricNames.LakeFlushDuration, "s", "One flush of the silo's lake writer.", advice: Seconds);
        _lakeCommits = meter.CreateCounter<long>(PlatformMetricNames.LakeCommits, "{commit}", "Versions added to lake tables' transaction logs.");
        _queryDuration = meter.CreateHistogram(PlatformMetricNames.QueryDuration, "s", "Time answered lake queries ran.", advice: Seconds);
        _signalRConnections = meter.CreateUpDownCounter<long>(PlatformMetricNames.SignalRConnections, "{connection}", "Open SignalR connections.");
        meter.CreateObservableCounter(PlatformMetricNames.RecordsIngested, ObserveIngested, "{record}", "Kafka records read.");
        meter.CreateObservableCounter(PlatformMetricNames.DeadLetters, ObserveDeadLetters, "{record}", "Kafka records refused at the edge, by reason.");
        meter.CreateObservableCounter(PlatformMetricNames.RecordsLost, ObserveLost, "{record}", "Kafka records dropped by retention before they were read.");
        meter.CreateObservableGauge(PlatformMetricNames.ConsumerLag, ObserveLag, "{record}", "Records of an owned partition not yet read and delivered.");
    }

    /// <summary>
    /// Where the Kafka figures come from: this silo's receivers, per partition (every partition they have read) and
    /// their dead letters per reason code; their counts only grow. Without it the Kafka instruments report nothing
    /// (a silo without Kafka).
    /// </summary>
    public void ObserveKafka(Func<IEnumerable<PartitionFigures>> partitions, Func<IReadOnlyDictionary<string, long>> deadLettersByReason)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentNullException.ThrowIfNull(deadLettersByReason);
        if (Interlocked.CompareExchange(ref _kafka, new KafkaFigures(partitions, deadLettersByReason), null) is not null)
        {
            throw new InvalidOperationException("The Kafka receivers of this silo are observed already.");
        }
    }

    /// <summary>A checkpoint completed after consumption was paused for <paramref name="paused"/>.</summary>
    public void CheckpointCompleted(TimeSpan paused) => _checkpointDuration.Record(paused.TotalSeconds);

    /// <summary>A lake writer flush of <paramref name="kind"/> (<see cref="PlatformMetricNames.AppendFlush"/> or <see cref="PlatformMetricNames.SnapshotFlush"/>) took <paramref name="elapsed"/>.</summary>
    public void LakeFlushed(string kind, TimeSpan elapsed) =>
        _flushDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>A version of <paramref name="table"/> was committed by a Delta <paramref name="operation"/>.</summary>
    public void LakeCommitted(string table, string layer, string operation) =>
        _lakeCommits.Add(1,
            new KeyValuePair<string, object?>("table", table),
            new KeyValuePair<string, object?>("layer", layer),
            new KeyValuePair<string, object?>("operation", operation));

    /// <summary>A lake query was answered after running <paramref name="elapsedMs"/> milliseconds.</summary>
    public void QueryAnswered(long elapsedMs) => _queryDuration.Record(elapsedMs / 1000.0);

    /// <summary>A SignalR connection to <paramref name="hub"/> opened (+1) or closed (-1).</summary>
    public void SignalRConnectionsChanged(string hub, int change) =>
        _signalRConnections.Add(change, new KeyValuePair<string, object?>("hub", hub));

    private IEnumerable<Measurement<long>> ObserveIngested() =>
        Partitions().GroupBy(partition => partition.Topic, StringComparer.Ordinal)
            .Select(topic => new Measurement<long>(topic.Sum(partition => partition.RecordsRead), new KeyValuePair<string, object?>("topic", topic.Key)));

    private IEnumerable<Measurement<long>> ObserveDeadLetters() =>
        (Volatile.Read(ref _kafka)?.DeadLettersByReason() ?? new Dictionary<string, long>())
            .Select(reason => new Measurement<long>(reason.Value, new KeyValuePair<string, object?>("reason", reason.Key)));

    private IEnumerable<Measurement<long>> ObserveLost() =>
        Partitions().Select(partition => new Measurement<long>(partition.RecordsLost, PartitionTags(partition)));

    private IEnumerable<Measurement<long>> ObserveLag() =>
        Partitions().Where(partition => partition.Owned).Select(partition => new Measurement<long>(partition.Lag, PartitionTags(partition)));

    private List<PartitionFigures> Partitions() => Volatile.Read(ref _kafka) is { } kafka ? [.. kafka.Partitions()] : [];

    private static KeyValuePair<string, object?>[] PartitionTags(PartitionFigures partition) =>
    [
        new("topic", partition.Topic),
        new("partition", partition.Partition),
    ];

    private sealed record KafkaFigures(Func<IEnumerable<PartitionFigures>> Partitions, Func<IReadOnlyDictionary<string, long>> DeadLettersByReason);
}
