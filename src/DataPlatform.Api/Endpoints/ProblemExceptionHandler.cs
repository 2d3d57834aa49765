using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace DataPlatform.Api.Endpoints;

/// <summary>
/// Answers every exception that reaches the pipeline with problem details. A request the server could not
/// read (malformed JSON, a value of the wrong JSON type, a media type or charset it does not read) is the
/// client's 4xx, with a detail saying what to fix. Anything else is a 500 that names no type, file or
/// stack; the exception goes to the log.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client has gone; nobody reads an answer
        }
        var (status, title, detail) = Describe(httpContext, exception);
        if (status >= StatusCodes.Status500InternalServerError)
        {
            LogUnexpected(logger, exception, httpContext.Request.Method, httpContext.Request.Path);
        }
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    private static (int Status, string Title, string Detail) Describe(HttpContext context, Exception exception)
    {
        // Only a body the framework could not read is the client's JSON; any other JsonException is ours.
        if (Find<BadHttpRequestException>(exception) is not null && Find<JsonException>(exception) is { } json)
        {
            var line = json.LineNumber is { } number ? $", line {number + 1}" : "";
            var position = json.BytePositionInLine is { } bytes ? $", byte {bytes + 1}" : "";
            return (StatusCodes.Status400BadRequest, "Invalid JSON",
                $"The request body is not JSON this endpoint reads: look at {json.Path ?? "$"}{line}{position}.");
        }
        if (Find<DecoderFallbackException>(exception) is not null)
        {
            return (StatusCodes.Status400BadRequest, "Invalid request body", "The request body is not valid text in its charset; send UTF-8.");
        }
        if (exception is BadHttpRequestException bad)
        {
            return bad.StatusCode switch
            {
                StatusCodes.Status415UnsupportedMediaType => (bad.StatusCode, "Unsupported media type", Problems.UnsupportedMediaType(context.Request.ContentType)),
                StatusCodes.Status413PayloadTooLarge => (bad.StatusCode, "Request too large", Problems.TooLarge(context)),
                _ => (bad.StatusCode, "Invalid request", "The request could not be read: send the JSON body this endpoint takes, as application/json."),
            };
        }
        if (IsUnknownCharset(exception))
        {
            return (StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", Problems.UnsupportedMediaType(context.Request.ContentType));
        }
        return (StatusCodes.Status500InternalServerError, "Server error", "The server failed to answer this request. The error is logged.");
    }

    /// <summary>ASP.NET Core reports a Content-Type charset it does not know as an InvalidOperationException over an ArgumentException.</summary>
    private static bool IsUnknownCharset(Exception exception) =>
        exception is InvalidOperationException && Find<ArgumentException>(exception) is { } argument
            && argument.Message.Contains("encoding", StringComparison.OrdinalIgnoreCase);

    private static T? Find<T>(Exception? exception) where T : Exception
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is T found)
            {
                return found;
            }
        }
        return null;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Error, Message = "Unexpected error answering {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
