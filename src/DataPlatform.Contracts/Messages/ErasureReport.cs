namespace DataPlatform.Contracts.Messages;

/// <summary>The answer to DELETE /users/{id}: what the erasure removed from live state and from the lake.</summary>
[GenerateSerializer, Immutable, Alias("dp.ErasureReport")]
public sealed record ErasureReport
{
    [Id(0)] public required string UserId { get; init; }

    /// <summary>How the erasure register names the user: the SHA-256 of the id (hex).</summary>
    [Id(1)] public required string ErasureId { get; init; }

    [Id(2)] public required DateTimeOffset RequestedAt { get; init; }
    [Id(3)] public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>True when the user was erased before: nothing was removed now, and the counts are those of the first erasure.</summary>
    [Id(4)] public bool AlreadyErased { get; init; }

    /// <summary>The user grain held a profile or events.</summary>
    [Id(5)] public bool Profile { get; init; }

    [Id(6)] public int Sessions { get; init; }
    [Id(7)] public int Orders { get; init; }

    /// <summary>The segment the user was counted in, and no longer is.</summary>
    [Id(8)] public string? Segment { get; init; }

    /// <summary>Rows removed per lake table (tables without rows of the user are left out).</summary>
    [Id(9)] public IReadOnlyDictionary<string, long> LakeRows { get; init; } = new Dictionary<string, long>();

    public long RowsRemoved => LakeRows.Values.Sum();
}
