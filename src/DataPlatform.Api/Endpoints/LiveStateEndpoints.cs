using DataPlatform.Api.Security;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Endpoints;

/// <summary>Grain-backed REST: KPIs, users, their features and sessions (ARCHITECTURE.md §7).</summary>
public static class LiveStateEndpoints
{
    public static IEndpointRouteBuilder MapLiveStateEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/kpis", GetKpisAsync).WithName("GetKpis").WithTags("Live state").RequireAuthorization(ApiPolicies.Viewer);
        routes.MapGet("/kpis/history", GetKpiHistoryAsync).WithName("GetKpiHistory").WithTags("Live state").RequireAuthorization(ApiPolicies.Viewer);
        routes.MapGet("/users/{id}", GetUserAsync).WithName("GetUser").WithTags("Live state").RequireAuthorization(ApiPolicies.Analyst);
        routes.MapGet("/users/{id}/sessions", GetUserSessionsAsync).WithName("GetUserSessions").WithTags("Live state").RequireAuthorization(ApiPolicies.Analyst);
        routes.MapGet("/features/{user_id}", GetUserFeaturesAsync).WithName("GetUserFeatures").WithTags("Live state").RequireAuthorization(ApiPolicies.Analyst);
        routes.MapGet("/sessions/{id}", GetSessionAsync).WithName("GetSession").WithTags("Live state").RequireAuthorization(ApiPolicies.Analyst);
        routes.MapGet("/segments", GetSegmentsAsync).WithName("GetSegments").WithTags("Live state").RequireAuthorization(ApiPolicies.Analyst);
        routes.MapGet("/cohorts", GetCohortsAsync).WithName("GetCohorts").WithTags("Live state").RequireAuthorization(ApiPolicies.Viewer);
        routes.MapGet("/funnels", GetFunnelsAsync).WithName("GetFunnels").WithTags("Live state").RequireAuthorization(ApiPolicies.Viewer);
        routes.MapGet("/alerts", GetAlertsAsync).WithName("GetAlerts").WithTags("Live state").RequireAuthorization(ApiPolicies.Viewer);
        return routes;
    }

    private static async Task<Ok<KpiSnapshot>> GetKpisAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).GetSnapshotAsync());

    /// <summary>At most a day of minutes is kept.</summary>
    public const int MaxHistoryMinutes = 1440;

    private static async Task<Results<Ok<IReadOnlyList<KpiMinute>>, ProblemHttpResult>> GetKpiHistoryAsync(string? minutes, IGrainFactory grains)
    {
        var count = 60;
        if (minutes is not null && (!int.TryParse(minutes, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
            || count < 1 || count > MaxHistoryMinutes))
        {
            return BadRequest($"minutes must be a whole number from 1 to {MaxHistoryMinutes} (got '{minutes}').");
        }
        return TypedResults.Ok(await grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).GetHistoryAsync(count));
    }

    private static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> GetUserAsync(string id, IGrainFactory grains)
    {
        if (GrainKey.Problem(id, "user") is { } problem)
        {
            return BadRequest(problem);
        }
        var profile = await grains.GetGrain<IUserGrain>(id).GetProfileAsync();
        return profile is null ? NotFound($"No events of user '{id}' have been seen.") : TypedResults.Ok(profile);
    }

    /// <summary>How many of a user's sessions GET /users/{id}/sessions returns (the most recent first).</summary>
    public const int RecentSessions = 20;

    private static async Task<Results<Ok<IReadOnlyList<SessionSnapshot>>, ProblemHttpResult>> GetUserSessionsAsync(string id, IGrainFactory grains)
    {
        if (GrainKey.Problem(id, "user") is { } problem)
        {
            return BadRequest(problem);
        }
        var user = grains.GetGrain<IUserGrain>(id);
        if (await user.GetProfileAsync() is null)
        {
            return NotFound($"No events of user '{id}' have been seen.");
        }
        IReadOnlyList<SessionSnapshot> recent = [.. (await SessionsOfAsync(grains, user)).OrderByDescending(session => session.StartedAt).Take(RecentSessions)];
        return TypedResults.Ok(recent);
    }

    /// <summary>A user's live machine-learning features (docs/metrics.md, "Features for machine learning").</summary>
    private static async Task<Results<Ok<UserFeatures>, ProblemHttpResult>> GetUserFeaturesAsync(string user_id, IGrainFactory grains)
    {
        if (GrainKey.Problem(user_id, "user") is { } problem)
        {
            return BadRequest(problem);
        }
        var features = await grains.GetGrain<IUserGrain>(user_id).GetFeaturesAsync();
        return features is null ? NotFound($"No events of user '{user_id}' have been seen.") : TypedResults.Ok(features);
    }

    /// <summary>Every session of a user that the session grains know.</summary>
    internal static async Task<IReadOnlyList<SessionSnapshot>> SessionsOfAsync(IGrainFactory grains, IUserGrain user)
    {
        var sessions = await Task.WhenAll((await user.GetSessionIdsAsync()).Select(sessionId => grains.GetGrain<ISessionGrain>(sessionId).GetSnapshotAsync()));
        return [.. sessions.OfType<SessionSnapshot>()];
    }

    private static async Task<Ok<IReadOnlyList<SegmentSummary>>> GetSegmentsAsync(IGrainFactory grains)
    {
        IReadOnlyList<SegmentSummary> segments = await Task.WhenAll(
            SegmentNames.All.Select(segment => grains.GetGrain<ISegmentGrain>(segment).GetSummaryAsync()));
        return TypedResults.Ok(segments);
    }

    /// <summary>The purchase funnel per day and app type of the closed sessions (docs/metrics.md, "Purchase funnel").</summary>
    private static async Task<Ok<IReadOnlyList<FunnelDay>>> GetFunnelsAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).GetFunnelsAsync());

    /// <summary>Weekly cohort retention (docs/metrics.md, "Cohort retention").</summary>
    private static async Task<Ok<IReadOnlyList<CohortRetention>>> GetCohortsAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).GetCohortsAsync());

    /// <summary>The open anomaly alerts, then the recent closed ones (docs/metrics.md, "Anomaly alerts").</summary>
    private static async Task<Ok<IReadOnlyList<Alert>>> GetAlertsAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).GetAlertsAsync());

    private static async Task<Results<Ok<SessionSnapshot>, ProblemHttpResult>> GetSessionAsync(string id, IGrainFactory grains)
    {
        if (GrainKey.Problem(id, "session") is { } problem)
        {
            return BadRequest(problem);
        }
        var session = await grains.GetGrain<ISessionGrain>(id).GetSnapshotAsync();
        return session is null ? NotFound($"No events of session '{id}' have been seen.") : TypedResults.Ok(session);
    }

    private static ProblemHttpResult BadRequest(string detail) => Problems.BadRequest(detail);

    private static ProblemHttpResult NotFound(string detail) => Problems.NotFound(detail);
}
