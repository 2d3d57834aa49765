using System.Text.Json;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Quality;

namespace DataPlatform.Lake.Tables;

/// <summary>
/// Parquet files written for one table and not yet referenced by any commit: a checkpoint's rows, which
/// become visible only once the checkpoint is complete. Until then they are orphans no reader sees.
/// </summary>
[GenerateSerializer, Immutable, Alias("lake.StagedAppend")]
public sealed record StagedAppend(
    [property: Id(0)] string Table,
    [property: Id(1)] IReadOnlyList<AddFile> Files,
    [property: Id(2)] CommitQuality Quality)
{
    /// <summary>
    /// The source under which a checkpoint's files are committed, with the checkpoint's epoch as version:
    /// committing an epoch's files again is refused as stale, so recovery may repeat the commit.
    /// </summary>
    public const string CheckpointSource = "checkpoint";

    /// <summary>Staged appends as JSON, to be kept with the checkpoint that commits them.</summary>
    public static string ToJson(IReadOnlyList<StagedAppend> staged) =>
        JsonSerializer.Serialize([.. staged], DeltaJsonContext.Default.ListStagedAppend);

    /// <summary>Staged appends from <see cref="ToJson"/>.</summary>
    public static IReadOnlyList<StagedAppend> FromJson(string json) =>
        JsonSerializer.Deserialize(json, DeltaJsonContext.Default.ListStagedAppend) ?? [];
}
