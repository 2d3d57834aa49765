namespace DataPlatform.Contracts.Events;

/// <summary>A user profile update (topic_users, keyed by user_id). Email and name are PII.</summary>
[GenerateSerializer, Immutable, Alias("dp.UserProfileEvent")]
public sealed record UserProfileEvent
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required DateTimeOffset Timestamp { get; init; }
    [Id(2)] public string? Email { get; init; }
    [Id(3)] public string? Name { get; init; }
    [Id(4)] public string? Country { get; init; }
    [Id(5)] public DateTimeOffset? SignupAt { get; init; }
}
