using System.Security.Claims;
using DataPlatform.Lake.Sql;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace DataPlatform.Api.Security;

/// <summary>One authorization policy per role; a role passes the policies of the roles below it.</summary>
public static class ApiPolicies
{
    public const string Viewer = "viewer";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static string NameOf(ApiRole role) => role switch
    {
        ApiRole.Viewer => Viewer,
        ApiRole.Analyst => Analyst,
        ApiRole.Admin => Admin,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role."),
    };

    public static bool TryParse(string? text, out ApiRole role)
    {
        role = text?.Trim().ToLowerInvariant() switch
        {
            Viewer => ApiRole.Viewer,
            Analyst => ApiRole.Analyst,
            Admin => ApiRole.Admin,
            _ => 0,
        };
        return role != 0;
    }

    /// <summary>The role a request authenticated with, or null.</summary>
    public static ApiRole? RoleOf(ClaimsPrincipal user) =>
        TryParse(user?.FindFirst(ApiKeyAuthenticationHandler.RoleClaim)?.Value, out var role) ? role : null;

    /// <summary>Only admins see personal data as stored; every other role reads it masked.</summary>
    public static PersonalData PersonalDataFor(ClaimsPrincipal user) => RoleOf(user) == ApiRole.Admin ? PersonalData.Visible : PersonalData.Masked;

    public static void AddTo(AuthorizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var role in Enum.GetValues<ApiRole>())
        {
            options.AddPolicy(NameOf(role), policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireAssertion(context => RoleOf(context.User) >= role));
        }
        // Anything mapped without a policy of its own is for admins.
        options.FallbackPolicy = options.GetPolicy(Admin);
    }

    /// <summary>Which role an endpoint needs, for a 403's detail.</summary>
    public static string Describe(Endpoint? endpoint)
    {
        var policy = endpoint?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(data => data.Policy).LastOrDefault(name => name is not null) ?? Admin;
        return $"it needs the {policy} role or above.";
    }
}
