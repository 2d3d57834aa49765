namespace DataPlatform.Analytics.Kpis;

/// <summary>
/// When the KPI grain pushes its snapshot to the dashboards: soon after a report changed it, but at most every
/// <c>minSpacing</c> (reports of many silos do not make a push each), and every <c>heartbeat</c> without
/// changes, so a dashboard sees the clock move and knows the connection is alive.
/// </summary>
public sealed class KpiPushSchedule(TimeSpan minSpacing, TimeSpan heartbeat)
{
    private DateTimeOffset _lastPush = DateTimeOffset.MinValue;
    private bool _changed;

    /// <summary>A report changed the figures.</summary>
    public void Changed() => _changed = true;

    public bool IsDue(DateTimeOffset now) => now - _lastPush >= (_changed ? minSpacing : heartbeat);

    public void Pushed(DateTimeOffset now) => (_lastPush, _changed) = (now, false);
}
