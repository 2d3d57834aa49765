namespace DataPlatform.Analytics.Kpis;

/// <summary>Tumbling windows of event time, identified by their start in Unix seconds (UTC).</summary>
public static class TumblingWindows
{
    public const long MinuteSeconds = 60;
    public const long HourSeconds = 3600;

    public static long MinuteOf(DateTimeOffset at) => Floor(at, MinuteSeconds);

    public static long HourOf(DateTimeOffset at) => Floor(at, HourSeconds);

    public static DateTimeOffset StartTime(long start) => DateTimeOffset.FromUnixTimeSeconds(start);

    private static long Floor(DateTimeOffset at, long size)
    {
        var seconds = at.ToUnixTimeSeconds();
        return seconds - (((seconds % size) + size) % size);
    }
}
