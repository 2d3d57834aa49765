using DataPlatform.Api.Endpoints;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Security;

/// <summary>
/// DELETE /users/{id}: erases a user (the GDPR right to erasure) from live state and every lake table, and
/// answers what was removed once it is done. Asked again, it answers the first erasure's report
/// (<c>already_erased</c>). Admins only; audited as <c>erase</c>.
/// </summary>
public static class UserErasureEndpoints
{
    public static IEndpointRouteBuilder MapUserErasureEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapDelete("/users/{id}", EraseAsync).WithName("EraseUser").WithTags("Security")
            .RequireAuthorization(ApiPolicies.Admin);
        return routes;
    }

    private static async Task<Results<Ok<ErasureReport>, ProblemHttpResult>> EraseAsync(string id, IGrainFactory grains, HttpContext context)
    {
        if (GrainKey.Problem(id, "user") is { } problem)
        {
            return Problems.BadRequest(problem);
        }
        var report = await grains.GetGrain<IErasureGrain>(id).EraseAsync(context.User.FindFirst(ApiKeyAuthenticationHandler.KeyIdClaim)?.Value);
        AuditMiddleware.Detail(context, $"erasure {report.ErasureId}: {report.RowsRemoved} lake row(s), {report.Sessions} session(s)"
            + (report.AlreadyErased ? " (erased before)" : ""));
        return TypedResults.Ok(report);
    }
}
