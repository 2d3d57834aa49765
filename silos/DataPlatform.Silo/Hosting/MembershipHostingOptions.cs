using Orleans.Configuration;

namespace DataPlatform.Silo.Hosting;

/// <summary>
/// How fast the cluster profile declares a silo dead (configuration section "Orleans:Membership"; the names
/// are those of Orleans' <see cref="ClusterMembershipOptions"/>). Until a killed silo is declared dead its
/// grains cannot be reached and its Kafka partitions are read by nobody; Orleans' defaults took 7 to 39 s here.
/// A silo is suspected after <see cref="NumMissedProbesLimit"/> probes in a row went unanswered, each allowed
/// between <see cref="MinProbeTimeout"/> and <see cref="MaxProbeTimeout"/> (Orleans adapts the timeout, and the
/// period between probes, to the answers it sees), so a live silo may stall for about 6 s without being
/// suspected, and a killed one was declared dead 5 to 9 s after it died (docs/operations.md).
/// </summary>
public sealed class MembershipHostingOptions
{
    /// <summary>The initial probe timeout and period (Orleans: 5 s).</summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The shortest probe timeout (Orleans: half of <see cref="ProbeTimeout"/>). With 1 s, probes answered in
    /// milliseconds taught Orleans to wait about 1 s, and a silo starting up on a busy two-core machine was
    /// declared dead after 3 s without an answer.
    /// </summary>
    public static readonly TimeSpan DefaultMinProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest probe timeout (Orleans: four times <see cref="ProbeTimeout"/>), which a loaded machine
    /// drives probes towards. Times <see cref="NumMissedProbesLimit"/> it is also the window in which a message
    /// received from a silo vetoes its suspicion; with Orleans' 20 s that window is a minute.
    /// </summary>
    public static readonly TimeSpan DefaultMaxProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Missed probes in a row that make a silo suspect (Orleans: 3).</summary>
    public const int DefaultNumMissedProbesLimit = 3;

    /// <summary>
    /// Suspicions needed to declare a silo dead (Orleans: 2). Orleans asks for no more than half of the
    /// active silos (rounded up), so in a cluster of two the survivor's vote suffices.
    /// </summary>
    public const int DefaultNumVotesForDeathDeclaration = 2;

    /// <summary>How long a suspicion counts (Orleans: 2 min).</summary>
    public static readonly TimeSpan DefaultDeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How often a silo reads the membership table besides gossip (Orleans: 60 s).</summary>
    public static readonly TimeSpan DefaultTableRefreshTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How often a silo writes its heartbeat to the membership table (Orleans: 30 s).</summary>
    public static readonly TimeSpan DefaultIAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);

    public TimeSpan ProbeTimeout { get; set; } = DefaultProbeTimeout;

    public TimeSpan MinProbeTimeout { get; set; } = DefaultMinProbeTimeout;

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
        options.MinProbeTimeout = MinProbeTimeout;
        options.MaxProbeTimeout = MaxProbeTimeout;
        options.NumMissedProbesLimit = NumMissedProbesLimit;
        options.NumVotesForDeathDeclaration = NumVotesForDeathDeclaration;
        options.DeathVoteExpirationTimeout = DeathVoteExpirationTimeout;
        options.TableRefreshTimeout = TableRefreshTimeout;
        options.IAmAliveTablePublishTimeout = IAmAliveTablePublishTimeout;
    }
}
