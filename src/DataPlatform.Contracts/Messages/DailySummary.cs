namespace DataPlatform.Contracts.Messages;

/// <summary>Users and events of one UTC date: events, distinct users, users whose first event was that day.</summary>
[GenerateSerializer, Immutable, Alias("dp.DayUsers")]
public sealed record DayUsers : ISummable<DayUsers>
{
    [Id(0)] public long Events { get; init; }
    [Id(1)] public long Users { get; init; }
    [Id(2)] public long NewUsers { get; init; }

    public DayUsers Plus(DayUsers other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new DayUsers { Events = Events + other.Events, Users = Users + other.Users, NewUsers = NewUsers + other.NewUsers };
    }
}

/// <summary>One UTC date's summary (a row of gold.daily_summary).</summary>
[GenerateSerializer, Immutable, Alias("dp.DailySummary")]
public sealed record DailySummary
{
    [Id(0)] public required DateOnly Date { get; init; }
    [Id(1)] public required long TotalUsers { get; init; }
    [Id(2)] public required long NewUsers { get; init; }

    /// <summary>Share of the day's users who were seen before that day, in percent (one decimal); null without users.</summary>
    [Id(3)] public double? ReturningUsersPct { get; init; }

    /// <summary>Closed sessions that started that day.</summary>
    [Id(4)] public required long Sessions { get; init; }

    [Id(5)] public double? BounceRate { get; init; }
    [Id(6)] public double? AvgSessionDurationS { get; init; }
    [Id(7)] public required long TotalEvents { get; init; }
    [Id(8)] public required long Orders { get; init; }
    [Id(9)] public required decimal Revenue { get; init; }
    [Id(10)] public decimal? AvgOrderValue { get; init; }
}
