using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>
/// The erasure of one user (key: user_id), the GDPR right to erasure: registers it so every silo drops the
/// user's new records, erases the user's live state and rewrites every lake table without the user's rows.
/// Durable (the request is in the lake before anything is erased, and a silo resumes it after a failure) and
/// idempotent (asked again, it answers the first erasure's report).
/// </summary>
[Alias("dp.IErasureGrain")]
public interface IErasureGrain : IGrainWithStringKey
{
    /// <summary>Erases the user, or answers what the earlier erasure removed. <paramref name="requestedBy"/>: the API key id.</summary>
    [Alias("Erase"), ResponseTimeout("00:10:00")]
    Task<ErasureReport> EraseAsync(string? requestedBy);
}
