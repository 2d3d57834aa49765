namespace DataPlatform.Grains.Sessions;

/// <summary>When sessions end (configuration section "Sessions").</summary>
public sealed class SessionClosingOptions
{
    public const string SectionName = "Sessions";

    /// <summary>A session closes after this much event-time inactivity (measured against the watermark).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often each silo looks for idle sessions.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);
}
