namespace DataPlatform.Analytics.Kpis;

/// <summary>Counts per second of processing time over a sliding window of whole seconds.</summary>
public sealed class EventRateWindow(int seconds)
{
    private readonly long[] _counts = new long[seconds];
    private readonly long[] _secondOfSlot = new long[seconds];

    public void Add(DateTimeOffset now, long events)
    {
        var second = now.ToUnixTimeSeconds();
        var slot = (int)(second % seconds);
        if (_secondOfSlot[slot] != second)
        {
            _secondOfSlot[slot] = second;
            _counts[slot] = 0;
        }
        _counts[slot] += events;
    }

    /// <summary>The average rate over the <c>seconds</c> seconds ending with the current one.</summary>
    public double PerSecond(DateTimeOffset now)
    {
        var current = now.ToUnixTimeSeconds();
        long total = 0;
        for (var slot = 0; slot < seconds; slot++)
        {
            if (current - _secondOfSlot[slot] < seconds)
            {
                total += _counts[slot];
            }
        }
        return (double)total / seconds;
    }
}
