using System.Text.Json.Serialization;
using DataPlatform.Api.Health;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Api;

/// <summary>Source-generated snake_case JSON for the API's own answers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(Alert))]
[JsonSerializable(typeof(IReadOnlyList<Alert>))]
[JsonSerializable(typeof(UserFeatures))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
