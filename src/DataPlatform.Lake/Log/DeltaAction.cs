using DataPlatform.Lake.Quality;

namespace DataPlatform.Lake.Log;

/// <summary>
/// One line of a Delta Lake commit file: exactly one of its properties is set (Delta protocol, "Actions").
/// </summary>
public sealed record DeltaAction
{
    public ProtocolAction? Protocol { get; init; }
    public MetadataAction? MetaData { get; init; }
    public TxnAction? Txn { get; init; }
    public AddFile? Add { get; init; }
    public RemoveFile? Remove { get; init; }
    public CommitInfo? CommitInfo { get; init; }

    public static DeltaAction Of(AddFile add) => new() { Add = add };
    public static DeltaAction Of(RemoveFile remove) => new() { Remove = remove };
    public static DeltaAction Of(TxnAction txn) => new() { Txn = txn };
    public static DeltaAction Of(MetadataAction metaData) => new() { MetaData = metaData };
    public static DeltaAction Of(ProtocolAction protocol) => new() { Protocol = protocol };
    public static DeltaAction Of(CommitInfo commitInfo) => new() { CommitInfo = commitInfo };
}

/// <summary>The reader and writer versions the table needs: 1 and 2, the basic protocol.</summary>
public sealed record ProtocolAction(int MinReaderVersion = 1, int MinWriterVersion = 2);

/// <summary>The file format of the data files.</summary>
public sealed record FileFormat(string Provider, Dictionary<string, string> Options);

/// <summary>The table's identity, schema (Spark struct JSON), partition columns and configuration.</summary>
public sealed record MetadataAction(
    string Id,
    string Name,
    string Description,
    FileFormat Format,
    string SchemaString,
    IReadOnlyList<string> PartitionColumns,
    Dictionary<string, string> Configuration,
    long CreatedTime);

/// <summary>
/// The highest position a streaming writer has committed for one source (appId = topic-partition,
/// version = Kafka offset): replays at or below it are dropped, which makes writes idempotent.
/// </summary>
[GenerateSerializer, Immutable, Alias("lake.TxnAction")]
public sealed record TxnAction([property: Id(0)] string AppId, [property: Id(1)] long Version, [property: Id(2)] long LastUpdated);

/// <summary>A data file that belongs to the table from this version on.</summary>
[GenerateSerializer, Immutable, Alias("lake.AddFile")]
public sealed record AddFile
{
    /// <summary>Path relative to the table root, e.g. <c>event_date=2026-11-23/part-….parquet</c>.</summary>
    [Id(0)] public required string Path { get; init; }
    [Id(1)] public required Dictionary<string, string?> PartitionValues { get; init; }
    [Id(2)] public required long Size { get; init; }
    [Id(3)] public required long ModificationTime { get; init; }
    [Id(4)] public bool DataChange { get; init; } = true;

    /// <summary>JSON: numRecords, minValues, maxValues, nullCount and the file's sha256.</summary>
    [Id(5)] public required string Stats { get; init; }
}

/// <summary>A data file that no longer belongs to the table; it is deleted after the grace period.</summary>
[GenerateSerializer, Immutable, Alias("lake.RemoveFile")]
public sealed record RemoveFile
{
    [Id(0)] public required string Path { get; init; }
    [Id(1)] public required long DeletionTimestamp { get; init; }
    [Id(2)] public bool DataChange { get; init; } = true;
    [Id(3)] public bool ExtendedFileMetadata { get; init; } = true;
    [Id(4)] public Dictionary<string, string?>? PartitionValues { get; init; }
    [Id(5)] public long? Size { get; init; }
}

/// <summary>Provenance of a commit: when, which operation, its figures and the quality of its rows.</summary>
public sealed record CommitInfo
{
    public required long Timestamp { get; init; }
    public required string Operation { get; init; }
    public Dictionary<string, string> OperationParameters { get; init; } = [];
    public Dictionary<string, string> OperationMetrics { get; init; } = [];
    public string EngineInfo { get; init; } = "DataPlatform";
    public bool IsBlindAppend { get; init; }

    /// <summary>Quality figures of the rows this commit added (DataPlatform's own field).</summary>
    public CommitQuality? Quality { get; init; }
}
