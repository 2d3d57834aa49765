namespace DataPlatform.Lake.Tables;

/// <summary>
/// The positions of one source (appId = topic-partition) that an append covers. The append commits only
/// if <see cref="First"/> is above the table's recorded position for the source, and then records
/// <see cref="Last"/>: a replayed range is refused instead of being written twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("lake.SourceRange")]
public sealed record SourceRange([property: Id(0)] string AppId, [property: Id(1)] long First, [property: Id(2)] long Last);
