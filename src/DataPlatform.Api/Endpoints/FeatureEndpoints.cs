using DataPlatform.Api.Security;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Endpoints;

/// <summary>A user's live machine-learning features from its grain (docs/metrics.md, "Features for machine learning").</summary>
public static class FeatureEndpoints
{
    public static IEndpointRouteBuilder MapFeatureEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/features/{user_id}", GetFeaturesAsync).WithName("GetUserFeatures").WithTags("Live state")
            .WithSummary("A user's live features: events by type over 1 h, 24 h and 7 d, recency, frequency, monetary value, sessions, segment and churn risk.")
            .RequireAuthorization(ApiPolicies.Analyst);
        return routes;
    }

    private static async Task<Results<Ok<UserFeatures>, ProblemHttpResult>> GetFeaturesAsync(string user_id, IGrainFactory grains)
    {
        if (GrainKey.Problem(user_id, "user") is { } problem)
        {
            return Problems.BadRequest(problem);
        }
        var features = await grains.GetGrain<IUserGrain>(user_id).GetFeaturesAsync();
        return features is null ? Problems.NotFound($"No events of user '{user_id}' have been seen.") : TypedResults.Ok(features);
    }
}
