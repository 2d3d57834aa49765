using DataPlatform.Api.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Security;

/// <summary>API keys over REST, for admins: list, read, create (the token is in the answer, and nowhere else ever), revoke.</summary>
public static class KeyEndpoints
{
    public const int MaxNameLength = 100;

    /// <summary>Why a key name cannot be used (the REST API and the <c>keys</c> command apply the same rule), or null.</summary>
    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Any(char.IsControl)
            ? $"name must say whose key it is: 1 to {MaxNameLength} characters, no control characters."
            : null;

    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        var keys = routes.MapGroup("/admin/keys").WithTags("Security").RequireAuthorization(ApiPolicies.Admin);
        keys.MapGet("", ListAsync).WithName("ListKeys");
        keys.MapGet("/{id}", GetAsync).WithName("GetKey");
        keys.MapPost("", CreateAsync).WithName("CreateKey");
        keys.MapDelete("/{id}", RevokeAsync).WithName("RevokeKey");
        return routes;
    }

    private static async Task<Ok<IEnumerable<KeySummary>>> ListAsync(ApiKeyDirectory keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(cancellationToken)).Select(KeySummary.Of));

    private static async Task<Results<Ok<KeySummary>, ProblemHttpResult>> GetAsync(string id, ApiKeyDirectory keys, CancellationToken cancellationToken) =>
        (await keys.ListAsync(cancellationToken)).FirstOrDefault(key => key.Id == id) is { } found
            ? TypedResults.Ok(KeySummary.Of(found))
            : Problems.NotFound($"No key has the id '{id}'. GET /admin/keys lists them.");

    private static async Task<Results<Created<CreatedKey>, ProblemHttpResult>> CreateAsync(
        CreateKeyRequest request, ApiKeyDirectory keys, HttpContext context, CancellationToken cancellationToken)
    {
        if (NameProblem(request.Name) is { } problem)
        {
            return Problems.BadRequest(problem);
        }
        if (!ApiPolicies.TryParse(request.Role, out var role))
        {
            return Problems.BadRequest($"role must be one of {ApiPolicies.Viewer}, {ApiPolicies.Analyst} or {ApiPolicies.Admin} (got '{request.Role}').");
        }
        var (key, token) = await keys.CreateAsync(request.Name!.Trim(), role, cancellationToken);
        AuditMiddleware.Detail(context, $"created {key.Id}: name={key.Name}; role={ApiPolicies.NameOf(key.Role)}");
        return TypedResults.Created($"/admin/keys/{key.Id}", new CreatedKey(key.Id, key.Name, ApiPolicies.NameOf(key.Role), key.CreatedAt, token));
    }

    private static async Task<Results<Ok<KeySummary>, ProblemHttpResult>> RevokeAsync(string id, ApiKeyDirectory keys, HttpContext context, CancellationToken cancellationToken)
    {
        AuditMiddleware.Detail(context, id);
        if (await keys.RevokeAsync(id, cancellationToken) is not { } revoked)
        {
            // Revoking a revoked key again changes nothing and answers it as it is.
            return (await keys.ListAsync(cancellationToken)).FirstOrDefault(key => key.Id == id) is { RevokedAt: not null } already
                ? TypedResults.Ok(KeySummary.Of(already))
                : Problems.NotFound($"No key has the id '{id}'. GET /admin/keys lists them.");
        }
        AuditMiddleware.Detail(context, $"revoked {revoked.Id}: name={revoked.Name}; role={ApiPolicies.NameOf(revoked.Role)}");
        return TypedResults.Ok(KeySummary.Of(revoked));
    }
}

/// <summary>The body of POST /admin/keys.</summary>
public sealed record CreateKeyRequest(string? Name, string? Role);

/// <summary>A key as the API shows it: never its secret or hash.</summary>
public sealed record KeySummary(string Id, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeySummary Of(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.Id, key.Name, ApiPolicies.NameOf(key.Role), key.CreatedAt, key.RevokedAt);
    }
}

/// <summary>The answer of POST /admin/keys: <see cref="Key"/> is shown this once.</summary>
public sealed record CreatedKey(string Id, string Name, string Role, DateTimeOffset CreatedAt, string Key);
