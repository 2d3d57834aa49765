using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Security;

/// <summary>
/// Writes an audit entry for every query, preview, export and key change, whatever its outcome (the action is
/// what was asked, the status how it was answered), and for every request refused for its key, its role, its
/// size or its rate. It runs around authentication, so it sees the refusals too. An endpoint
/// says what was asked through <see cref="Detail"/> (the SQL, the key).
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, IAuditSink sink, TimeProvider clock)
{
    private const string DetailItem = "dp:audit-detail";

    private static readonly Dictionary<string, string> AuditedEndpoints = new(StringComparer.Ordinal)
    {
        ["Query"] = "query",
        ["GetTablePreview"] = "preview",
        ["CreateKey"] = "key_create",
        ["RevokeKey"] = "key_revoke",
        ["ExportUser"] = "export",
        ["EraseUser"] = "erase",
    };

    /// <summary>Records what a request asked for, for its audit entry.</summary>
    public static void Detail(HttpContext context, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[DetailItem] = detail;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex)
        {
            Write(context, ex.StatusCode);
            throw;
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // The exception handler answers 500; the request is audited as what it was.
            Write(context, StatusCodes.Status500InternalServerError);
            throw;
        }
        Write(context, context.Response.StatusCode);
    }

    private void Write(HttpContext context, int status)
    {
        var action = status switch
        {
            StatusCodes.Status401Unauthorized => "unauthorized",
            StatusCodes.Status403Forbidden => "forbidden",
            StatusCodes.Status413PayloadTooLarge => "too_large",
            StatusCodes.Status429TooManyRequests => "rate_limited",
            _ => context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name
                && AuditedEndpoints.TryGetValue(name, out var audited) ? audited : null,
        };
        if (action is null)
        {
            return;
        }
        var user = context.User;
        sink.Write(new AuditEntry(
            clock.GetUtcNow(),
            user.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) ?? ClaimedKeyId(context.Request),
            user.FindFirstValue(ClaimTypes.Name),
            user.FindFirstValue(ApiKeyAuthenticationHandler.RoleClaim),
            action,
            $"{context.Request.Method} {context.Request.Path}",
            context.Items.TryGetValue(DetailItem, out var detail) ? detail as string : null,
            status,
            context.Connection.RemoteIpAddress?.ToString()));
    }

    // The id a refused token claims, so the log says which key was tried (never the secret).
    private static string? ClaimedKeyId(HttpRequest request) =>
        ApiKeyToken.TryParse(ApiKeyAuthenticationHandler.TokenOf(request), out var id, out _) ? id : null;
}
