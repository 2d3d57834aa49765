namespace DataPlatform.Grains.Kpis;

/// <summary>
/// This silo's view of the cluster's event-time watermark (the latest event time the KPI grain has
/// seen), refreshed about once a second. Event-time rules that need "now" (closing idle sessions) use it.
/// </summary>
public sealed class EventClock
{
    private long _watermarkTicks = long.MinValue;

    public DateTimeOffset? Watermark
    {
        get
        {
            var ticks = Interlocked.Read(ref _watermarkTicks);
            return ticks == long.MinValue ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    /// <summary>Moves the watermark forward (never back).</summary>
    public void Advance(DateTimeOffset watermark)
    {
        var ticks = watermark.UtcTicks;
        var current = Interlocked.Read(ref _watermarkTicks);
        while (ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _watermarkTicks, ticks, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
