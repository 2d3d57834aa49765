using DataPlatform.Grains.Scheduling;

namespace DataPlatform.Grains.Sessions;

/// <summary>The open sessions, due when they have been idle for the timeout.</summary>
public sealed class OpenSessions() : EventTimeSchedule(Name)
{
    public const string Name = "sessions";
}
