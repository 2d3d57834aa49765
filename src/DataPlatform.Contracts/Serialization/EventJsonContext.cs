using System.Text.Json.Serialization;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Serialization;

/// <summary>Source-generated snake_case JSON for the event contracts and the served snapshots.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AppEvent))]
[JsonSerializable(typeof(ClickstreamEvent))]
[JsonSerializable(typeof(CdcChange))]
[JsonSerializable(typeof(UserProfileEvent))]
[JsonSerializable(typeof(ExternalEvent))]
[JsonSerializable(typeof(KpiSnapshot))]
[JsonSerializable(typeof(UserProfile))]
[JsonSerializable(typeof(SessionSnapshot))]
[JsonSerializable(typeof(IReadOnlyList<KpiMinute>))]
[JsonSerializable(typeof(IReadOnlyList<SegmentSummary>))]
[JsonSerializable(typeof(IReadOnlyList<SessionSnapshot>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
public sealed partial class EventJsonContext : JsonSerializerContext;
