using DataPlatform.Grains.Scheduling;

namespace DataPlatform.Grains.Sessions;

/// <summary>The open sessions whose grains live on this silo, due when they have been idle for the timeout.</summary>
public sealed class OpenSessions : EventTimeSchedule;
