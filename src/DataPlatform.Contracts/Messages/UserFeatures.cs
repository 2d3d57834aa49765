using System.Text.Json.Serialization;

namespace DataPlatform.Contracts.Messages;

/// <summary>
/// A user's machine-learning features as of one instant of event time (docs/metrics.md, "Features for machine
/// learning"): the live answer of GET /features/{user_id}, and each daily snapshot of gold.user_features (as of the
/// last instant of its date).
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.UserFeatures")]
public sealed record UserFeatures
{
    [Id(0)] public required string UserId { get; init; }

    /// <summary>The instant the features describe: events with a later timestamp are not counted.</summary>
    [Id(1)] public required DateTimeOffset AsOf { get; init; }

    /// <summary>The latest event time up to <see cref="AsOf"/>.</summary>
    [Id(2)] public required DateTimeOffset LastEventAt { get; init; }

    [Id(3), JsonPropertyName("events_1h")] public required long Events1h { get; init; }
    [Id(4), JsonPropertyName("events_24h")] public required long Events24h { get; init; }
    [Id(5), JsonPropertyName("events_7d")] public required long Events7d { get; init; }
    [Id(6), JsonPropertyName("events_by_type_1h")] public required IReadOnlyDictionary<string, long> EventsByType1h { get; init; }
    [Id(7), JsonPropertyName("events_by_type_24h")] public required IReadOnlyDictionary<string, long> EventsByType24h { get; init; }
    [Id(8), JsonPropertyName("events_by_type_7d")] public required IReadOnlyDictionary<string, long> EventsByType7d { get; init; }
    [Id(9), JsonPropertyName("sessions_1h")] public required long Sessions1h { get; init; }
    [Id(10), JsonPropertyName("sessions_24h")] public required long Sessions24h { get; init; }
    [Id(11), JsonPropertyName("sessions_7d")] public required long Sessions7d { get; init; }

    /// <summary>Days (3 decimals) from <see cref="LastEventAt"/> to <see cref="AsOf"/>.</summary>
    [Id(12)] public required double RecencyDays { get; init; }

    /// <summary>Distinct UTC dates with an event among the 30 dates ending with the date of <see cref="AsOf"/>.</summary>
    [Id(13), JsonPropertyName("frequency_30d")] public required long Frequency30d { get; init; }

    [Id(14), JsonPropertyName("purchases_30d")] public required long Purchases30d { get; init; }

    /// <summary>Purchase values plus orders that count, over the 90 dates ending with the date of <see cref="AsOf"/>.</summary>
    [Id(15), JsonPropertyName("monetary_90d")] public required decimal Monetary90d { get; init; }

    [Id(16)] public required string Segment { get; init; }
    [Id(17)] public required string ChurnRisk { get; init; }
    [Id(18)] public required double EngagementScore { get; init; }
}
