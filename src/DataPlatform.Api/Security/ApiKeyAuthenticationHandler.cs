using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Api.Security;

/// <summary>
/// Reads the API key of a request (<c>Authorization: Bearer</c>, <c>X-Api-Key</c>, or for the SignalR hubs and the
/// Orleans Dashboard the <c>access_token</c> query parameter, which browsers' WebSockets and links cannot avoid)
/// and gives the request the key's
/// role. A request without a key gets the admin role only while the directory says the silo is open to it.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyDirectory keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string RoleClaim = "dp:role";
    public const string KeyIdClaim = "dp:key";
    public const string OpenKeyId = "open";
    private const string HubPath = "/hubs";
    private const string RejectedItem = "dp:key-rejected";

    /// <summary>The Orleans Dashboard: a browser opens it with <c>?access_token=</c> once, then sends the key as a cookie.</summary>
    public const string DashboardPath = "/orleans";
    private const string DashboardCookie = "dp_orleans_key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = TokenOf(Request);
        if (token is null)
        {
            return await keys.IsOpenAsync(Context.Connection.RemoteIpAddress, Context.RequestAborted)
                ? AuthenticateResult.Success(Ticket(OpenKeyId, "no key (open on loopback)", ApiRole.Admin))
                : AuthenticateResult.NoResult();
        }
        if (await keys.FindAsync(token, Context.RequestAborted) is { } key)
        {
            KeepDashboardKey(token);
            return AuthenticateResult.Success(Ticket(key.Id, key.Name, key.Role));
        }
        Context.Items[RejectedItem] = true;
        return AuthenticateResult.Fail("The API key is not known or was revoked.");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = Context.Items.ContainsKey(RejectedItem)
            ? "The API key is not known or was revoked. Ask an admin for a key (keys are shown once, when created)."
            : "This endpoint needs an API key: send it as 'Authorization: Bearer <key>' or 'X-Api-Key: <key>' (SignalR: the access_token query parameter).";
        return Results.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var role = Context.User.FindFirstValue(RoleClaim) ?? "none";
        return Results.Problem(
            detail: $"The key's role ({role}) may not use {Request.Method} {Request.Path}: {ApiPolicies.Describe(Context.GetEndpoint())}",
            statusCode: StatusCodes.Status403Forbidden,
            title: "Forbidden").ExecuteAsync(Context);
    }

    /// <summary>The key a request presents, from any of the places a key may be sent, or null.</summary>
    internal static string? TokenOf(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }
        if (request.Headers.TryGetValue("X-Api-Key", out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return header.ToString().Trim();
        }
        var hubOrDashboard = request.Path.StartsWithSegments(HubPath, StringComparison.OrdinalIgnoreCase)
            || request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase);
        if (hubOrDashboard && request.Query.TryGetValue("access_token", out var query) && !string.IsNullOrWhiteSpace(query))
        {
            return query.ToString();
        }
        return request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase)
            && request.Cookies.TryGetValue(DashboardCookie, out var cookie) && !string.IsNullOrWhiteSpace(cookie)
            ? cookie
            : null;
    }

    // The Orleans Dashboard's own page asks for its data without the key: the key it was opened with goes
    // along as a cookie that only the dashboard's paths receive and scripts cannot read.
    private void KeepDashboardKey(string token)
    {
        if (Request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase) && Request.Query.ContainsKey("access_token"))
        {
            Response.Cookies.Append(DashboardCookie, token, new CookieOptions
            {
                Path = DashboardPath,
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = Request.IsHttps,
            });
        }
    }

    private static AuthenticationTicket Ticket(string keyId, string name, ApiRole role) =>
        new(new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(KeyIdClaim, keyId), new Claim(ClaimTypes.Name, name), new Claim(RoleClaim, ApiPolicies.NameOf(role))], SchemeName)), SchemeName);
}
