namespace DataPlatform.Analytics.Alerts;

/// <summary>
/// The figures of one closed minute of event time that the alert signals are computed from.
/// </summary>
/// <param name="Start">The start of the minute (UTC).</param>
/// <param name="Events">Distinct user events whose event time falls in the minute.</param>
/// <param name="Errors">Of those, events of type <c>error</c>.</param>
/// <param name="DeadLetters">Records rejected at the edge while the watermark lay in the minute.</param>
/// <param name="ConsumerLag">The largest consumer lag reported while the watermark lay in the minute; null when none was.</param>
public readonly record struct AlertMinute(DateTimeOffset Start, long Events, long Errors, long DeadLetters, long? ConsumerLag)
{
    /// <summary>Errors over events; null for a minute without events.</summary>
    public double? ErrorShare => Events > 0 ? (double)Errors / Events : null;
}
