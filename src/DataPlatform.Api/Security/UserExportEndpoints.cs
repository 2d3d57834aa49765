using System.Text.Json;
using DataPlatform.Api.Endpoints;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Security;

/// <summary>
/// GET /users/{id}/export: everything held about a user: the live profile (with its segment), the sessions,
/// and the user's rows of every lake table that has them (<see cref="UserRows"/>), each read like a query,
/// with personal data masked unless the caller is an admin.
/// </summary>
public static class UserExportEndpoints
{
    public static IEndpointRouteBuilder MapUserExportEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/users/{id}/export", ExportAsync).WithName("ExportUser").WithTags("Security")
            .RequireAuthorization(ApiPolicies.Analyst).RequireRateLimiting(QueryRateLimit.Policy);
        return routes;
    }

    private static async Task<Results<Ok<UserExport>, ProblemHttpResult>> ExportAsync(
        string id, IGrainFactory grains, LakeQueryEngine engine, HttpContext context, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (GrainKey.Problem(id, "user") is { } problem)
        {
            return Problems.BadRequest(problem);
        }
        AuditMiddleware.Detail(context, id);
        var personalData = ApiPolicies.PersonalDataFor(context.User);
        var user = grains.GetGrain<IUserGrain>(id);
        var profile = await user.GetProfileAsync();
        var sessions = await LiveStateEndpoints.SessionsOfAsync(grains, user);
        var tables = new List<ExportedTable>();
        try
        {
            foreach (var table in UserRows.Tables)
            {
                var rows = await engine.ExecuteAsync(UserRows.SelectFor(table, id), engine.MaxQueryRows, personalData, cancellationToken);
                tables.Add(new ExportedTable(table.Name, rows.Columns, rows.Rows, rows.Truncated));
            }
        }
        catch (LakeQueryException ex)
        {
            return Problems.BadRequest(ex.Message, "Export failed");
        }
        catch (LakeBusyException ex)
        {
            return Problems.TooManyRequests(context, ex.Message, 1);
        }
        return TypedResults.Ok(new UserExport(id, clock.GetUtcNow(), personalData == PersonalData.Masked, profile,
            [.. sessions.OrderBy(session => session.StartedAt)], tables));
    }
}

/// <summary>The answer of GET /users/{id}/export.</summary>
public sealed record UserExport(
    string UserId,
    DateTimeOffset ExportedAt,
    bool PersonalDataMasked,
    UserProfile? Profile,
    IReadOnlyList<SessionSnapshot> Sessions,
    IReadOnlyList<ExportedTable> Lake);

/// <summary>A user's rows of one lake table, as a query answers them.</summary>
public sealed record ExportedTable(string Table, IReadOnlyList<QueryColumn> Columns, IReadOnlyList<JsonElement> Rows, bool Truncated);
