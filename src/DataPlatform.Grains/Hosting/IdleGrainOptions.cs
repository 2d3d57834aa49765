namespace DataPlatform.Grains.Hosting;

/// <summary>
/// How long a grain of the many (a user, a session, a change-feed row) stays in memory after its last call
/// (section Grains). A collected grain writes its state and reads it back when it is called again, so a silo
/// holds only the users active lately instead of every user it has seen in Orleans' default quarter of an hour.
/// </summary>
public sealed class IdleGrainOptions
{
    public const string SectionName = "Grains";

    public static readonly TimeSpan DefaultCollectionAge = TimeSpan.FromMinutes(5);

    /// <summary>Idle time after which Orleans collects such a grain (more than Orleans' collection quantum, a minute).</summary>
    public TimeSpan CollectionAge { get; set; } = DefaultCollectionAge;
}
