namespace DataPlatform.Simulator;

/// <summary>What to simulate and how fast (configuration section "Simulator" in the silo).</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";
    public const int DefaultSeed = 42;
    public const int DefaultUsers = 5000;
    public const double DefaultRate = 200;
    public const int DefaultConcurrentSessions = 1000;
    public const double DefaultDuplicateFraction = 0.002;

    /// <summary>
    /// Decides the simulated population (user, customer and product ids stay the same) and its behaviour.
    /// The same seed, start time and run id give the same records, byte for byte.
    /// </summary>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>
    /// Tells this run's event, session, order and payment ids apart from every other run's. When null, a
    /// run with a <see cref="Start"/> derives it from the start (so replaying a start repeats its ids), and
    /// a run without one draws a new run id: a restarted simulator never repeats an earlier run's ids.
    /// </summary>
    public string? RunId { get; set; }

    public int Users { get; set; } = DefaultUsers;

    /// <summary>Records per second, including duplicates.</summary>
    public double Rate { get; set; } = DefaultRate;

    /// <summary>Stop after this many records (unbounded when null).</summary>
    public long? Count { get; set; }

    /// <summary>Stop after this much wall-clock time (unbounded when null).</summary>
    public TimeSpan? Duration { get; set; }

    /// <summary>How many sessions are in progress at once.</summary>
    public int ConcurrentSessions { get; set; } = DefaultConcurrentSessions;

    /// <summary>Fraction of records sent twice, as a producer retry would.</summary>
    public double DuplicateFraction { get; set; } = DefaultDuplicateFraction;

    /// <summary>Fraction of records that break an edge rule (for testing the dead letters).</summary>
    public double MalformedFraction { get; set; }

    /// <summary>
    /// Fraction of orders and customers that pass the edge but break a data-quality expectation (docs/quality.md):
    /// an order total missing or above 100,000, an unknown status, an e-mail that is not one. For testing the rules.
    /// </summary>
    public double RuleBreakingFraction { get; set; }

    /// <summary>Also produce profiles, the shop's change feed and external feeds (topics other than the two user-event topics).</summary>
    public bool ShopActivity { get; set; } = true;

    /// <summary>Kafka bootstrap servers to produce to; the standalone simulator writes JSON lines when empty.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Event time of the first record; the current time when null.</summary>
    public DateTimeOffset? Start { get; set; }
}
