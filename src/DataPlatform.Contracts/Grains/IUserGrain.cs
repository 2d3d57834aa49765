using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>
/// Live state of one user, keyed by user_id. Its events (<c>app_events</c>, <c>clickstream</c>) and profile
/// records (<c>users</c>) arrive through the partition router that reads those stream namespaces.
/// </summary>
[Alias("dp.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>The profile, or null when no event of this user has been seen.</summary>
    [Alias("GetProfile")]
    Task<UserProfile?> GetProfileAsync();

    /// <summary>The live machine-learning features as of the event-time watermark, or null when no event of this user has been seen.</summary>
    [Alias("GetFeatures")]
    Task<UserFeatures?> GetFeaturesAsync();

    /// <summary>The ids of the user's sessions (empty when the user is unknown).</summary>
    [Alias("GetSessionIds")]
    Task<IReadOnlyList<string>> GetSessionIdsAsync();

    /// <summary>An order of this customer changed: its total counts as revenue while it is not cancelled or deleted.</summary>
    [Alias("ApplyOrder")]
    Task ApplyOrderAsync(OrderState order);

    /// <summary>Re-evaluates segment, churn risk and engagement as of the watermark (asked when a day ends).</summary>
    [Alias("ReviewSegment")]
    Task ReviewSegmentAsync(DateTimeOffset watermark);

    /// <summary>
    /// Erases the user's state (asked by the erasure grain, after every silo drops the user's new records): takes
    /// the user out of its segment's figures and answers what it held, so the sessions and orders go too.
    /// </summary>
    [Alias("Erase")]
    Task<UserErasure> EraseAsync();
}
