namespace DataPlatform.Contracts.Messages;

/// <summary>
/// The purchase funnel of the closed sessions of one day and app type (docs/metrics.md, "Purchase funnel"): how many
/// sessions there were and how many reached each step: a page or screen view, then add_to_cart, then checkout, then
/// purchase. A session reaches a step when it has an event of that step and reached the step before it. Contributions
/// can be negative: a closed session that reopens takes its contribution back.
/// </summary>
[GenerateSerializer, Alias("dp.FunnelDayStats")]
public sealed record FunnelDayStats : ISummable<FunnelDayStats>
{
    [Id(0)] public long Sessions { get; init; }
    [Id(1)] public long Viewed { get; init; }
    [Id(2)] public long AddedToCart { get; init; }
    [Id(3)] public long CheckedOut { get; init; }
    [Id(4)] public long Purchased { get; init; }

    public static FunnelDayStats Of(SessionSnapshot session, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(session);
        var step = session.FunnelStep;
        return new FunnelDayStats
        {
            Sessions = sign,
            Viewed = step >= 1 ? sign : 0,
            AddedToCart = step >= 2 ? sign : 0,
            CheckedOut = step >= 3 ? sign : 0,
            Purchased = step >= 4 ? sign : 0,
        };
    }

    public FunnelDayStats Plus(FunnelDayStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new FunnelDayStats
        {
            Sessions = Sessions + other.Sessions,
            Viewed = Viewed + other.Viewed,
            AddedToCart = AddedToCart + other.AddedToCart,
            CheckedOut = CheckedOut + other.CheckedOut,
            Purchased = Purchased + other.Purchased,
        };
    }

    /// <summary>The share of the sessions at one step that reached the next, in percent (2 decimals); null when none were at the step.</summary>
    public static double? Conversion(long from, long to) => from > 0 ? Math.Round(100.0 * to / from, 2) : null;
}
