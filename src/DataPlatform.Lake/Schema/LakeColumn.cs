namespace DataPlatform.Lake.Schema;

/// <summary>One column of a lake table, as the catalog describes it.</summary>
/// <param name="Name">snake_case column name.</param>
/// <param name="Type">The column type.</param>
/// <param name="Nullable">Whether a row may leave it empty; a null in a non-nullable column is a schema violation.</param>
/// <param name="Description">What the column holds, for the catalog.</param>
/// <param name="Pii">True for personal data (masked for analysts, erased on request).</param>
/// <param name="Min">Lowest plausible value of a numeric column; smaller values count as range violations.</param>
/// <param name="Max">Highest plausible value of a numeric column; larger values count as range violations.</param>
[GenerateSerializer, Immutable, Alias("lake.LakeColumn")]
public sealed record LakeColumn(
    [property: Id(0)] string Name,
    [property: Id(1)] LakeColumnType Type,
    [property: Id(2)] bool Nullable = true,
    [property: Id(3)] string Description = "",
    [property: Id(4)] bool Pii = false,
    [property: Id(5)] double? Min = null,
    [property: Id(6)] double? Max = null);
