using System.Text.Json.Serialization;

namespace DataPlatform.Lake.Log;

/// <summary>Delta log JSON: camelCase names, absent values left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DeltaAction))]
internal sealed partial class DeltaJsonContext : JsonSerializerContext;
