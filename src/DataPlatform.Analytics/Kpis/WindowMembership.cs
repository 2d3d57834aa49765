namespace DataPlatform.Analytics.Kpis;

/// <summary>Whether an event is its user's first in each window it falls in (what makes distinct users exact).</summary>
public readonly record struct WindowMembership(bool FirstInMinuteCell, bool FirstInHourCell, bool FirstInMinute);
