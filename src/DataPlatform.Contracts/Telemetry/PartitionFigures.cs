namespace DataPlatform.Contracts.Telemetry;

/// <summary>
/// What this silo's Kafka receivers know of one topic-partition, as <see cref="PlatformMetrics"/> observes it: records
/// read, records lost to retention, the lag, and whether this silo owns the partition now.
/// </summary>
public readonly record struct PartitionFigures(string Topic, int Partition, long RecordsRead, long RecordsLost, long Lag, bool Owned);
