namespace DataPlatform.Analytics.Validation;

/// <summary>Limits applied to every record at the edge (ARCHITECTURE.md §2).</summary>
public sealed class EdgeValidationOptions
{
    public const int DefaultMaxMessageBytes = 64 * 1024;
    public const int DefaultMaxOpenSetLength = 64;
    public static readonly TimeSpan DefaultMaxFutureSkew = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(30);

    /// <summary>Records larger than this are rejected as <c>too_large</c>.</summary>
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>How far in the future a timestamp may lie (clock skew between producers and the grid).</summary>
    public TimeSpan MaxFutureSkew { get; set; } = DefaultMaxFutureSkew;

    /// <summary>Records older than this are rejected as <c>expired_timestamp</c>.</summary>
    public TimeSpan Retention { get; set; } = DefaultRetention;

    /// <summary>Maximum length of open-set strings such as event_type and action.</summary>
    public int MaxOpenSetLength { get; set; } = DefaultMaxOpenSetLength;
}
