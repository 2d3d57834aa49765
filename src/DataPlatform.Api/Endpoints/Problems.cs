using DataPlatform.Api.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace DataPlatform.Api.Endpoints;

/// <summary>RFC 9457 problem details for the API's 4xx and 5xx answers.</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail, string title = "Invalid request") =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: title);

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    /// <summary>
    /// Gives every problem a detail: status codes the framework answers by itself (an unsupported media
    /// type, a route or method that does not exist) come without one.
    /// </summary>
    public static void FillDetail(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.IsNullOrWhiteSpace(context.ProblemDetails.Detail))
        {
            return;
        }
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail = context.ProblemDetails.Status switch
        {
            StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType(request.ContentType),
            StatusCodes.Status404NotFound => $"There is nothing at {request.Path}. The API is described at /openapi/v1.json.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
            StatusCodes.Status400BadRequest => "The request could not be read: send the JSON body this endpoint takes, as application/json.",
            StatusCodes.Status413PayloadTooLarge => TooLarge(context.HttpContext),
            { } status => ReasonPhrases.GetReasonPhrase(status),
            null => "The request failed.",
        };
    }

    /// <summary>The detail of a 413: how large a body may be.</summary>
    public static string TooLarge(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var limit = context.RequestServices.GetService<IOptions<SecurityOptions>>()?.Value.MaxRequestBodyBytes;
        return limit is { } bytes
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"The request body is larger than the {bytes:N0} bytes this server reads (Security:MaxRequestBodyBytes).")
            : "The request body is larger than this server reads.";
    }

    /// <summary>The detail of a 415.</summary>
    public static string UnsupportedMediaType(string? contentType) =>
        $"Send the body as application/json; charset=utf-8 (got '{contentType}').";

    /// <summary>A 429: the caller should retry after the given number of seconds (also sent as Retry-After).</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext context, string detail, int retryAfterSeconds)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status429TooManyRequests, title: "Too many queries");
    }
}
