namespace DataPlatform.Grains.Checkpoints;

/// <summary>How often the cluster checkpoints and how long it waits for its parts (section Checkpoints).</summary>
public sealed class CheckpointOptions
{
    public const string SectionName = "Checkpoints";

    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Time between checkpoints: the most a silo failure makes the cluster read again.</summary>
    public TimeSpan Interval { get; set; } = DefaultInterval;

    /// <summary>The longest one step of a checkpoint (pause, flush, persist) may take on any silo before it is abandoned.</summary>
    public TimeSpan StepTimeout { get; set; } = DefaultStepTimeout;
}
