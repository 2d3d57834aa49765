namespace DataPlatform.Analytics.Kpis;

/// <summary>Whether an event is its user's first in each window it falls in (what makes distinct users exact).</summary>
/// <param name="FirstInMinuteCell">First in its minute window for its (event_type, app_type).</param>
/// <param name="FirstInHourCell">First in its hour window for its (event_type, app_type).</param>
/// <param name="FirstInMinute">First in its minute at all.</param>
/// <param name="FirstInDay">First on its UTC date.</param>
/// <param name="FirstSeenMovedFrom">The user's first-seen date moved to this event's date: from this date, or from none (a new user).</param>
public readonly record struct WindowMembership(
    bool FirstInMinuteCell,
    bool FirstInHourCell,
    bool FirstInMinute,
    bool FirstInDay = false,
    FirstSeenChange? FirstSeenMoved = null);

/// <summary>The user's first-seen date changed: it is now <paramref name="To"/>, it was <paramref name="From"/> (null: a new user).</summary>
public sealed record FirstSeenChange(DateOnly? From, DateOnly To);
