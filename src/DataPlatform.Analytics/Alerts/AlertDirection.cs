namespace DataPlatform.Analytics.Alerts;

/// <summary>Which way a signal has to move from its baseline to be anomalous.</summary>
public enum AlertDirection
{
    /// <summary>The signal rose above its baseline (errors, dead letters, lag).</summary>
    Above,

    /// <summary>The signal fell below its baseline (the event rate).</summary>
    Below,
}
