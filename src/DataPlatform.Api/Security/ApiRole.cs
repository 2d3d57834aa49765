namespace DataPlatform.Api.Security;

/// <summary>What an API key may do; each role may do everything the roles before it may.</summary>
public enum ApiRole
{
    /// <summary>KPIs, the dashboard and the SignalR push.</summary>
    Viewer = 1,

    /// <summary>And tables, previews, SQL, users, sessions and segments.</summary>
    Analyst = 2,

    /// <summary>And keys, the Orleans Dashboard and everything else.</summary>
    Admin = 3,
}
