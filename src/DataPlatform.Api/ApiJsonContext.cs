using System.Text.Json.Serialization;
using DataPlatform.Api.Health;

namespace DataPlatform.Api;

/// <summary>Source-generated snake_case JSON for the API's own answers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthReport))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
