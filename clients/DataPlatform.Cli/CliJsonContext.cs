using System.Text.Json.Serialization;

namespace DataPlatform.Cli;

/// <summary>Source-generated JSON for the few values <c>dp</c> builds itself.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
[JsonSerializable(typeof(DataPlatform.Lake.Tables.TableVerification))]
[JsonSerializable(typeof(IReadOnlyList<DataPlatform.Lake.Tables.TableVerification>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
internal sealed partial class CliJsonContext : JsonSerializerContext;
