using Orleans.Configuration;

namespace DataPlatform.Silo.Hosting;

/// <summary>
/// How fast the cluster profile declares a silo dead (configuration section "Orleans:Membership"; the names
/// are those of Orleans' <see cref="ClusterMembershipOptions"/>). Orleans' defaults took 9 to 16 s to declare a
/// killed silo dead here; until then its grains cannot be reached and its Kafka partitions are read by nobody.
/// These defaults probe about every second and declare a silo dead after three missed probes in a row, and
/// no later than about <see cref="MaxProbeTimeout"/> × <see cref="NumMissedProbesLimit"/> after the last message
/// it sent (Orleans suppresses suspicions of a silo whose connection carried a message within that window).
/// </summary>
public sealed class MembershipHostingOptions
{
    /// <summary>Initial probe timeout and period (Orleans: 5 s); Orleans adapts it to the answers, from half of it up to <see cref="DefaultMaxProbeTimeout"/>.</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest probe timeout and period (Orleans: four times <see cref="ProbeTimeout"/>). Times
    /// <see cref="NumMissedProbesLimit"/> it is the window in which a message from a silo vetoes its suspicion:
    /// with Orleans' 4 s a busy cluster took 12 s to declare a killed silo dead.
    /// </summary>
    public static readonly TimeSpan DefaultMaxProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes in a row that make a silo suspect (Orleans: 3).</summary>
    public const int DefaultNumMissedProbesLimit = 3;

    /// <summary>
    /// Suspicions needed to declare a silo dead (Orleans: 2). Orleans asks for no more than half of the
    /// active silos (rounded up), so in a cluster of two the survivor's vote suffices.
    /// </summary>
    public const int DefaultNumVotesForDeathDeclaration = 2;

    /// <summary>How long a suspicion counts (Orleans: 2 min).</summary>
    public static readonly TimeSpan DefaultDeathVoteExpirationTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How often a silo reads the membership table besides gossip (Orleans: 60 s).</summary>
    public static readonly TimeSpan DefaultTableRefreshTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often a silo writes its heartbeat to the membership table (Orleans: 30 s).</summary>
    public static readonly TimeSpan DefaultIAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);

    public TimeSpan ProbeTimeout { get; set; } = DefaultProbeTimeout;

    public TimeSpan MaxProbeTimeout { get; set; } = DefaultMaxProbeTimeout;

    public int NumMissedProbesLimit { get; set; } = DefaultNumMissedProbesLimit;

    public int NumVotesForDeathDeclaration { get; set; } = DefaultNumVotesForDeathDeclaration;

    public TimeSpan DeathVoteExpirationTimeout { get; set; } = DefaultDeathVoteExpirationTimeout;

    public TimeSpan TableRefreshTimeout { get; set; } = DefaultTableRefreshTimeout;

    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = DefaultIAmAliveTablePublishTimeout;

    /// <summary>Copies these settings onto Orleans' options; the others keep Orleans' defaults.</summary>
    public void ApplyTo(ClusterMembershipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ProbeTimeout = ProbeTimeout;
        options.MaxProbeTimeout = MaxProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        options.DeathVoteExpirationTimeout = DeathVoteExpirationTimeout;
        options.TableRefreshTimeout = TableRefreshTimeout;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
    }
}
