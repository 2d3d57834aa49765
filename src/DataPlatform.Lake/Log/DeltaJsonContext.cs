using System.Text.Json.Serialization;

namespace DataPlatform.Lake.Log;

/// <summary>Delta log JSON (and the staged appends a checkpoint keeps): camelCase names, absent values left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeltaAction))]
[JsonSerializable(typeof(List<DataPlatform.Lake.Tables.StagedAppend>))]
internal sealed partial class DeltaJsonContext : JsonSerializerContext;
