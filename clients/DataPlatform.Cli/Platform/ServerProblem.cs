using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace DataPlatform.Cli.Platform;

/// <summary>Turns an error answer (an RFC 9457 problem, or anything else) into the one line <c>dp</c> prints.</summary>
public static class ServerProblem
{
    private const int MaxBodyShown = 300;

    /// <summary>
    /// <c>HTTP 404: There is no table 'x'. ...</c>: the problem's <c>detail</c>, else its <c>title</c>, else the
    /// start of the body; with the seconds to wait when the server said so (429).
    /// </summary>
    public static string Describe(HttpStatusCode status, RetryConditionHeaderValue? retryAfter, string body)
    {
        var said = DetailOf(body) ?? (string.IsNullOrWhiteSpace(body) ? ReasonOf(status) : Shorten(body.Trim()));
        var wait = retryAfter?.Delta is { } delta
            ? string.Create(CultureInfo.InvariantCulture, $" (retry after {delta.TotalSeconds:0} s)")
            : "";
        return string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)status}: {said}{wait}");
    }

    private static string? DetailOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            foreach (var name in new[] { "detail", "title" })
            {
                if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
                {
                    return value.GetString();
                }
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string ReasonOf(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "the server wants an API key: pass --api-key or set DP_API_KEY.",
        HttpStatusCode.Forbidden => "this API key's role may not do that.",
        _ => status.ToString(),
    };

    private static string Shorten(string text) => text.Length <= MaxBodyShown ? text : text[..MaxBodyShown] + "…";
}
