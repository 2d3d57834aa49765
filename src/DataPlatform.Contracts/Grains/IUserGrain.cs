using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>
/// Live state of one user, keyed by user_id. Events arrive through implicit stream subscriptions on the
/// <c>app_events</c> and <c>clickstream</c> namespaces.
/// </summary>
[Alias("dp.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>The profile, or null when no event of this user has been seen.</summary>
    [Alias("GetProfile")]
    Task<UserProfile?> GetProfileAsync();

    /// <summary>An order of this customer changed: its total counts as revenue while it is not cancelled or deleted.</summary>
    [Alias("ApplyOrder")]
    Task ApplyOrderAsync(OrderState order);
}
