using DataPlatform.Lake.Quality;

namespace DataPlatform.Lake.Tables;

/// <summary>One version of a table as its history shows it.</summary>
[GenerateSerializer, Immutable, Alias("lake.CommitRecord")]
public sealed record CommitRecord
{
    [Id(0)] public required long Version { get; init; }
    [Id(1)] public required DateTimeOffset Timestamp { get; init; }
    [Id(2)] public required string Operation { get; init; }
    [Id(3)] public int FilesAdded { get; init; }
    [Id(4)] public int FilesRemoved { get; init; }
    [Id(5)] public long RowsAdded { get; init; }
    [Id(6)] public long RowsRemoved { get; init; }
    [Id(7)] public CommitQuality? Quality { get; init; }
}
