namespace DataPlatform.Contracts.Telemetry;

/// <summary>
/// The names of DataPlatform's metrics, in one place: the meter and its instruments as the code creates them,
/// and every metric a silo exports at /metrics under the name Prometheus stores (OpenTelemetry's Prometheus
/// exporter turns <c>dataplatform.records.ingested</c> into <c>dataplatform_records_ingested_total</c>, a unit of
/// seconds into a <c>_seconds</c> suffix). docs/monitoring.md and deploy/monitoring/ use exactly
/// <see cref="Exported"/>; tests hold them to it.
/// </summary>
public static class PlatformMetricNames
{
    /// <summary>The meter every DataPlatform instrument belongs to.</summary>
    public const string MeterName = "DataPlatform";

    /// <summary>The meters Orleans publishes its runtime metrics under (a prefix, as OpenTelemetry's AddMeter takes it).</summary>
    public const string OrleansMeters = "Microsoft.Orleans*";

    public const string RecordsIngested = "dataplatform.records.ingested";
    public const string DeadLetters = "dataplatform.dead_letters";
    public const string RecordsLost = "dataplatform.records.lost";
    public const string ConsumerLag = "dataplatform.consumer.lag";
    public const string CheckpointDuration = "dataplatform.checkpoint.duration";
    public const string LakeFlushDuration = "dataplatform.lake.flush.duration";
    public const string LakeCommits = "dataplatform.lake.commits";
    public const string QueryDuration = "dataplatform.query.duration";
    public const string SignalRConnections = "dataplatform.signalr.connections";

    /// <summary>The label values of <see cref="LakeFlushDuration"/>'s <c>kind</c>.</summary>
    public const string AppendFlush = "appends";

    /// <inheritdoc cref="AppendFlush"/>
    public const string SnapshotFlush = "snapshots";

    /// <summary>Every metric the catalogue documents, DataPlatform's first, then those of ASP.NET Core and Orleans that the dashboard uses.</summary>
    public static IReadOnlyList<ExportedMetric> Exported { get; } =
    [
        new("dataplatform_records_ingested_total", MetricKind.Counter, ["topic"],
            "Kafka records this silo's receivers read, dead letters included, each offset once per receiver."),
        new("dataplatform_dead_letters_total", MetricKind.Counter, ["reason"],
            "Kafka records this silo's receivers refused at the edge, by reason code, each offset once per receiver."),
        new("dataplatform_records_lost_total", MetricKind.Counter, ["topic", "partition"],
            "Records Kafka's retention dropped before this silo read them; anything above 0 makes `/health` unhealthy."),
        new("dataplatform_consumer_lag", MetricKind.Gauge, ["topic", "partition"],
            "Records of a partition this silo owns that are not yet read and delivered (high watermark minus position)."),
        new("dataplatform_checkpoint_duration_seconds", MetricKind.Histogram, [],
            "How long the cluster's consumption was paused for one completed checkpoint (drain, flush, persist, complete, resume), recorded by the silo running the coordinator."),
        new("dataplatform_lake_flush_duration_seconds", MetricKind.Histogram, ["kind"],
            "One flush of this silo's lake writer: `appends` (every flush interval, sooner when a buffer fills) or `snapshots` (keyed gold tables, every gold interval); waiting for a checkpoint's staging included."),
        new("dataplatform_lake_commits_total", MetricKind.Counter, ["table", "layer", "operation"],
            "Versions the table grains on this silo added to a table's transaction log, by Delta operation (`WRITE`, `MERGE`, `OPTIMIZE`, `DELETE`, `VACUUM END`)."),
        new("dataplatform_query_duration_seconds", MetricKind.Histogram, [],
            "The `elapsed_ms` of each answered `POST /query`: running the SQL on the lake, after a query place was free."),
        new("dataplatform_signalr_connections", MetricKind.Gauge, ["hub"],
            "SignalR connections open on this silo, per hub."),
        new("http_server_request_duration_seconds", MetricKind.Histogram, ["http_route", "http_request_method", "http_response_status_code"],
            "ASP.NET Core: every HTTP request this silo answered."),
        new("orleans_catalog_activations", MetricKind.Gauge, ["grain_type"],
            "Orleans: grain activations on this silo, by grain type."),
    ];
}
