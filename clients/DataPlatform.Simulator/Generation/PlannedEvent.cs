namespace DataPlatform.Simulator.Generation;

/// <summary>One step of a session's funnel, planned when the session starts.</summary>
internal sealed record PlannedEvent(string EventType, string Page, double? Value = null);
