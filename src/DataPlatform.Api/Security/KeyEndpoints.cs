using DataPlatform.Api.Endpoints;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Security;

/// <summary>API keys over REST, for admins: list, create (the token is in the answer, and nowhere else ever), revoke.</summary>
public static class KeyEndpoints
{
    public const int MaxNameLength = 100;

    public static IEndpointRouteBuilder MapKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        var keys = routes.MapGroup("/admin/keys").WithTags("Security").RequireAuthorization(ApiPolicies.Admin);
        keys.MapGet("", ListAsync).WithName("ListKeys");
        keys.MapPost("", CreateAsync).WithName("CreateKey");
        keys.MapDelete("/{id}", RevokeAsync).WithName("RevokeKey");
        return routes;
    }

    private static async Task<Ok<IEnumerable<KeySummary>>> ListAsync(ApiKeyDirectory keys, CancellationToken cancellationToken) =>
        TypedResults.Ok((await keys.ListAsync(cancellationToken)).Select(KeySummary.Of));

    private static async Task<Results<Created<CreatedKey>, ProblemHttpResult>> CreateAsync(
        CreateKeyRequest request, ApiKeyDirectory keys, HttpContext context, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > MaxNameLength || request.Name.Any(char.IsControl))
        {
            return Problems.BadRequest($"name must say whose key it is: 1 to {MaxNameLength} characters, no control characters.");
        }
        if (!ApiPolicies.TryParse(request.Role, out var role))
        {
            return Problems.BadRequest($"role must be one of {ApiPolicies.Viewer}, {ApiPolicies.Analyst} or {ApiPolicies.Admin} (got '{request.Role}').");
        }
        var (key, token) = await keys.CreateAsync(request.Name.Trim(), role, cancellationToken);
        AuditMiddleware.Detail(context, $"created {key.Id}: name={key.Name}; role={ApiPolicies.NameOf(key.Role)}");
        return TypedResults.Created($"/admin/keys/{key.Id}", new CreatedKey(key.Id, key.Name, ApiPolicies.NameOf(key.Role), key.CreatedAt, token));
    }

    private static async Task<Results<Ok<KeySummary>, ProblemHttpResult>> RevokeAsync(string id, ApiKeyDirectory keys, HttpContext context, CancellationToken cancellationToken)
    {
        AuditMiddleware.Detail(context, id);
        if (await keys.RevokeAsync(id, cancellationToken) is not { } revoked)
        {
            return Problems.NotFound($"No active key has the id '{id}'.");
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
