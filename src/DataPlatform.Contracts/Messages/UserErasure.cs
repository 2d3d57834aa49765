namespace DataPlatform.Contracts.Messages;

/// <summary>What a user grain held when it was erased: whether it knew the user, and the sessions and orders that go with it.</summary>
[GenerateSerializer, Immutable, Alias("dp.UserErasure")]
public sealed record UserErasure
{
    [Id(0)] public bool HeldState { get; init; }
    [Id(1)] public IReadOnlyList<string> SessionIds { get; init; } = [];
    [Id(2)] public IReadOnlyList<string> OrderIds { get; init; } = [];
    [Id(3)] public string? Segment { get; init; }
}
