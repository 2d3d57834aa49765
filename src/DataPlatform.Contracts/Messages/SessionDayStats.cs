namespace DataPlatform.Contracts.Messages;

/// <summary>
/// Closed sessions of one UTC date (the date a session started): how many, how many bounced or
/// converted, and their summed duration. Contributions can be negative: a closed session that receives
/// a late event is reopened, and its earlier contribution is taken back.
/// </summary>
[GenerateSerializer, Alias("dp.SessionDayStats")]
public sealed record SessionDayStats : ISummable<SessionDayStats>
{
    [Id(0)] public long Sessions { get; init; }
    [Id(1)] public long Bounces { get; init; }
    [Id(2)] public long Converted { get; init; }
    [Id(3)] public double DurationSecondsSum { get; init; }

    public double? BounceRate => Sessions > 0 ? (double)Bounces / Sessions : null;

    public double? AverageDurationSeconds => Sessions > 0 ? DurationSecondsSum / Sessions : null;

    public static SessionDayStats Of(SessionSnapshot session, int sign = 1)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new SessionDayStats
        {
            Sessions = sign,
            Bounces = session.IsBounce ? sign : 0,
            Converted = session.Converted ? sign : 0,
            DurationSecondsSum = sign * session.DurationS,
        };
    }

    public SessionDayStats Plus(SessionDayStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new SessionDayStats
        {
            Sessions = Sessions + other.Sessions,
            Bounces = Bounces + other.Bounces,
            Converted = Converted + other.Converted,
            DurationSecondsSum = DurationSecondsSum + other.DurationSecondsSum,
        };
    }
}
