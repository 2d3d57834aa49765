using System.Globalization;

namespace DataPlatform.Contracts.Messages;

/// <summary>
/// An anomaly alert of one signal: <c>GET /alerts</c>, SignalR <c>alert</c> and a row of <c>gold.alerts</c>
/// (docs/metrics.md, "Anomaly alerts"). It covers the minutes of event time from <see cref="OpenedAt"/> up to
/// <see cref="ClosedAt"/>, or up to now while open.
/// </summary>
[GenerateSerializer, Immutable, Alias("dp.Alert")]
public sealed record Alert
{
    /// <summary>The signal and the minute it opened at, e.g. <c>error_share-202611281012</c>: the same alert has the same id after a replay.</summary>
    [Id(0)] public required string Id { get; init; }

    /// <summary>The signal: event_rate, error_share, dead_letter_rate or consumer_lag.</summary>
    [Id(1)] public required string Kind { get; init; }

    /// <summary>above (the signal rose) or below (it fell).</summary>
    [Id(2)] public required string Direction { get; init; }

    /// <summary>The start of the first anomalous minute of the run that opened the alert.</summary>
    [Id(3)] public required DateTimeOffset OpenedAt { get; init; }

    /// <summary>The start of the first normal minute of the run that closed it; null while it is open.</summary>
    [Id(4)] public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>The signal's value in the first anomalous minute.</summary>
    [Id(5)] public required double Value { get; init; }

    /// <summary>The median of the baseline minutes before that minute.</summary>
    [Id(6)] public required double Baseline { get; init; }

    /// <summary>The median absolute deviation of those minutes (unscaled).</summary>
    [Id(7)] public required double Mad { get; init; }

    /// <summary>The value the signal had to pass to count as anomalous: baseline ± open threshold × spread.</summary>
    [Id(8)] public required double Threshold { get; init; }

    /// <summary>The most extreme value in the alert's direction while it was open.</summary>
    [Id(9)] public required double Peak { get; init; }

    /// <summary>open or closed.</summary>
    public string State => ClosedAt is null ? "open" : "closed";

    /// <summary>One sentence for people: what the signal did against its baseline, and when.</summary>
    public string Detail => string.Create(CultureInfo.InvariantCulture,
        $"{Kind} {Value:0.####} is {Direction} its baseline {Baseline:0.####} (threshold {Threshold:0.####}, peak {Peak:0.####}) since {OpenedAt:yyyy-MM-dd HH:mm} UTC")
        + (ClosedAt is { } closed ? string.Create(CultureInfo.InvariantCulture, $"; back to normal at {closed:yyyy-MM-dd HH:mm} UTC") : "");
}
