namespace DataPlatform.Contracts.Messages;

/// <summary>The live KPIs served by GET /kpis and pushed as SignalR <c>kpis</c>.</summary>
[GenerateSerializer, Immutable, Alias("dp.KpiSnapshot")]
public sealed record KpiSnapshot
{
    /// <summary>When the snapshot was taken (processing time).</summary>
    [Id(0)] public required DateTimeOffset At { get; init; }

    /// <summary>Events accepted per second, averaged over the last 10 seconds of processing time.</summary>
    [Id(1)] public required double EventsPerSecond { get; init; }

    /// <summary>Distinct user events accepted since start.</summary>
    [Id(2)] public required long TotalEvents { get; init; }

    /// <summary>Distinct users with an event in the 5 minutes of event time up to the watermark.</summary>
    [Id(3)] public required int ActiveUsers { get; init; }

    /// <summary>Distinct sessions with an event in the 30 minutes of event time up to the watermark.</summary>
    [Id(4)] public required int ActiveSessions { get; init; }

    /// <summary>Records rejected at the edge since start.</summary>
    [Id(5)] public required long DeadLetters { get; init; }

    /// <summary>The latest event time seen; activity windows end here.</summary>
    [Id(6)] public DateTimeOffset? Watermark { get; init; }

    /// <summary>Events that arrived after their window closed (window end + allowed lateness before the watermark).</summary>
    [Id(7)] public long LateEvents { get; init; }

    /// <summary>Share of today's closed sessions (by start date, UTC, of the watermark) that bounced; null before any closed.</summary>
    [Id(9)] public double? BounceRate { get; init; }

    /// <summary>Average duration of today's closed sessions, in seconds; null before any closed.</summary>
    [Id(10)] public double? AvgSessionDurationS { get; init; }

    /// <summary>Orders placed on the watermark's UTC date that are not cancelled (from the change feed).</summary>
    [Id(11)] public long OrdersToday { get; init; }

    /// <summary>The total amount of those orders.</summary>
    [Id(12)] public decimal RevenueToday { get; init; }

    /// <summary>Revenue today divided by orders today (2 decimals); null before the first order.</summary>
    [Id(13)] public decimal? AvgOrderValue { get; init; }

    /// <summary>Users per segment (VIP, Active, Regular, Inactive).</summary>
    [Id(14)] public IReadOnlyDictionary<string, long> Segments { get; init; } = new Dictionary<string, long>();

    /// <summary>Consumer lag summed over the silos (records not yet committed).</summary>
    [Id(15)] public long ConsumerLag { get; init; }

    /// <summary>Records Kafka dropped by retention before they were read, summed over the silos (each since it started).</summary>
    [Id(16)] public long RecordsLost { get; init; }

    /// <summary>Records of erased users dropped since start (they are never applied or stored; docs/security.md).</summary>
    [Id(17)] public long ErasedUserRecords { get; init; }

    /// <summary>The 10 most frequent event types of the last complete minute before the watermark.</summary>
    [Id(8)] public IReadOnlyList<EventTypeCount> TopEventTypes { get; init; } = [];
}
