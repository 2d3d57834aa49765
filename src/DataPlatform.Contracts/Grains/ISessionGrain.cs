using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>Live state of one session, keyed by session_id; fed by the owning user's grain.</summary>
[Alias("dp.ISessionGrain")]
public interface ISessionGrain : IGrainWithStringKey
{
    /// <summary>Adds events (already de-duplicated by the user grain) to the session.</summary>
    [Alias("Record")]
    Task RecordAsync(IReadOnlyList<UserActivity> activities);

    /// <summary>Closes the session if the watermark is past its last activity by the session timeout.</summary>
    [Alias("CloseIfIdle")]
    Task CloseIfIdleAsync(DateTimeOffset watermark);

    /// <summary>The session, or null when no event of it has been seen.</summary>
    [Alias("GetSnapshot")]
    Task<SessionSnapshot?> GetSnapshotAsync();

    /// <summary>Erases the session (its user was erased); true when it held anything.</summary>
    [Alias("Erase")]
    Task<bool> EraseAsync();
}
