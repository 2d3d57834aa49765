using System.Diagnostics;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Serialization;
using DataPlatform.GrainTests;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;
using DataPlatform.Simulator.Running;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// The seeded run the cluster tests produce through Kafka, with the LINQ reference of what a run without failure
/// makes of it. The analytics tests' generator writes every topic (user events with 1% duplicates and 1%
/// malformed records, profiles, the shop's change feed, external feeds), starting 90 s before midnight two days
/// ago, so the run spans two dates. Every seventh pair of neighbours is swapped (out of order). After the run,
/// one event 40 minutes later closes every session, and then <see cref="LateEvents"/> events of the run's first
/// minute that were held back arrive late (each of a session that has a later event, so it reopens and closes again).
/// <see cref="Next"/> is a run that follows one on the same cluster: its reference covers both.
/// </summary>
public sealed class SeededRun
{
    public const int LateEvents = 25;

    public SeededRun(int seed, int records)
        : this(seed, records, new DateTimeOffset(DateTime.UtcNow.Date.AddDays(-2).AddHours(23).AddMinutes(58).AddSeconds(30), TimeSpan.Zero), null)
    {
    }

    private SeededRun(int seed, int records, DateTimeOffset start, SeededRun? earlier)
    {
        Seed = seed;
        var options = new SimulatorOptions { Seed = seed, Users = 150, Rate = 40, ConcurrentSessions = 60, DuplicateFraction = 0.01, MalformedFraction = 0.01 };
        // Records the generator means to come from the future are days old now, hence valid: they are left out.
        var generated = new EventGenerator(options, start).Take(records).Where(record => record.ExpectedReason != "future_timestamp").ToList();

        var random = new Random(seed);
        var lastInSession = generated.Where(record => SessionOf(record) is not null)
            .GroupBy(record => SessionOf(record)!, StringComparer.Ordinal)
            .ToDictionary(session => session.Key, session => session.Max(TimeOf), StringComparer.Ordinal);
        var late = generated.Where(record => SessionOf(record) is { } session && TimeOf(record) < start.AddMinutes(1) && TimeOf(record) < lastInSession[session])
            .DistinctBy(record => SessionOf(record))
            .OrderBy(_ => random.Next())
            .Take(LateEvents)
            .ToHashSet();
        var body = generated.Where(record => !late.Contains(record)).ToList();
        for (var i = 0; i + 1 < body.Count; i += 7)
        {
            (body[i], body[i + 1]) = (body[i + 1], body[i]);
        }
        Body = body;
        Late = [.. generated.Where(late.Contains).Distinct()];
        var closing = new AppEvent
        {
            EventId = $"closer-{seed}-{start.ToUnixTimeSeconds()}",
            UserId = "closer",
            EventType = "app_open",
            AppType = "ios",
            Timestamp = body.Where(record => record.Event is AppEvent or ClickstreamEvent).Max(TimeOf).AddMinutes(40),
        };
        Closer = new SimulatedRecord(Topics.AppEvents, closing.UserId, JsonSerializer.SerializeToUtf8Bytes(closing, EventJsonContext.Default.AppEvent), closing);
        Earlier = earlier?.All ?? [];
        AllLate = [.. earlier?.AllLate ?? [], .. Late];
        All = [.. Earlier, .. Body, Closer, .. Late];
        Reference = new ReferenceAnalytics(All);
        var allLate = AllLate.ToHashSet();
        OnTime = new ReferenceAnalytics(All.Where(record => !allLate.Contains(record)));
    }

    public int Seed { get; }

    /// <summary>The records of the runs before this one on the same cluster, in the order they were produced.</summary>
    public IReadOnlyList<SimulatedRecord> Earlier { get; }

    /// <summary>The generated records as produced, held-back ones left out.</summary>
    public IReadOnlyList<SimulatedRecord> Body { get; }

    /// <summary>The event 40 minutes after the run that closes every session.</summary>
    public SimulatedRecord Closer { get; }

    /// <summary>The held-back events, produced after <see cref="Closer"/>.</summary>
    public IReadOnlyList<SimulatedRecord> Late { get; }

    /// <summary>The late events of this run and the earlier ones.</summary>
    public IReadOnlyList<SimulatedRecord> AllLate { get; }

    /// <summary>Every record in the order it is produced: <see cref="Earlier"/>, <see cref="Body"/>, <see cref="Closer"/>, <see cref="Late"/>.</summary>
    public IReadOnlyList<SimulatedRecord> All { get; }

    /// <summary>The reference over every record.</summary>
    public ReferenceAnalytics Reference { get; }

    /// <summary>The reference over the records that are not late: windows do not take late events.</summary>
    public ReferenceAnalytics OnTime { get; }

    /// <summary>
    /// A run of the same users that starts a minute after this one's closing event, for the same cluster: its
    /// records are new (their ids come from the start), and its reference covers this run's records too.
    /// </summary>
    public SeededRun Next(int records) => new(Seed, records, TimeOf(Closer).AddMinutes(1), this);

    /// <summary><see cref="Body"/> in <paramref name="count"/> consecutive parts of about the same size.</summary>
    public IReadOnlyList<IReadOnlyList<SimulatedRecord>> Slices(int count) =>
        [.. Enumerable.Range(0, count).Select(i => (IReadOnlyList<SimulatedRecord>)[.. Body.Take((i + 1) * Body.Count / count).Skip(i * Body.Count / count)])];

    /// <summary>
    /// Produces <paramref name="records"/> to Kafka in order, spread evenly over <paramref name="over"/>, and waits
    /// until Kafka confirmed every one.
    /// </summary>
    public static async Task ProduceAsync(string bootstrapServers, IReadOnlyList<SimulatedRecord> records, TimeSpan over)
    {
        await using var sink = new KafkaRecordSink(bootstrapServers);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < records.Count; i++)
        {
            await sink.SendAsync(records[i], CancellationToken.None);
            var ahead = over * ((i + 1.0) / records.Count) - Stopwatch.GetElapsedTime(started);
            if (ahead > TimeSpan.FromMilliseconds(20))
            {
                await Task.Delay(ahead);
            }
        }
        await sink.FlushAsync(CancellationToken.None);
        if (sink.Delivered != records.Count)
        {
            throw new InvalidOperationException($"Kafka confirmed {sink.Delivered} of {records.Count} records ({sink.Failed} failed: {sink.LastError}).");
        }
    }

    public static DateTimeOffset TimeOf(SimulatedRecord record) => record.Event switch
    {
        AppEvent e => e.Timestamp,
        ClickstreamEvent c => c.Timestamp,
        UserProfileEvent p => p.Timestamp,
        ExternalEvent x => x.Timestamp,
        CdcChange c => DateTimeOffset.FromUnixTimeMilliseconds(c.TsMs),
        _ => DateTimeOffset.MinValue,
    };

    private static string? SessionOf(SimulatedRecord record) => record.Event switch
    {
        AppEvent e => e.SessionId,
        ClickstreamEvent c => c.SessionId,
        _ => null,
    };
}
