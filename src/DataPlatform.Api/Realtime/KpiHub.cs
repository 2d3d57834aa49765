using Microsoft.AspNetCore.SignalR;

namespace DataPlatform.Api.Realtime;

/// <summary>
/// SignalR hub at /hubs/kpis. Clients receive <c>kpis</c> (the GET /kpis snapshot) about once a second and
/// <c>alert</c> when an anomaly alert opens or closes;
/// the pushes come from <see cref="KpiHubRelay"/>, so the hub itself has no methods yet.
/// </summary>
public sealed class KpiHub : Hub
{
    public const string Route = "/hubs/kpis";
    public const string KpisMethod = "kpis";

    /// <summary>An anomaly alert opened or closed (the GET /alerts shape of one alert).</summary>
    public const string AlertMethod = "alert";
}
