using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataPlatform.Api.Security;

/// <summary>
/// At most <see cref="SecurityOptions.QueriesPerMinute"/> SQL queries per API key and minute (a fixed window per
/// key; requests without a key share the open silo's window). More are answered 429 with Retry-After.
/// </summary>
public static class QueryRateLimit
{
    public const string Policy = "queries-per-key";

    public static void AddTo(RateLimiterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(Policy, context => RateLimitPartition.GetFixedWindowLimiter(
            context.User.FindFirstValue(ApiKeyAuthenticationHandler.KeyIdClaim) ?? ApiKeyAuthenticationHandler.OpenKeyId,
            _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = Math.Max(1, context.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.QueriesPerMinute),
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            }));
        options.OnRejected = async (rejected, cancellationToken) =>
        {
            var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
            rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            var perMinute = rejected.HttpContext.RequestServices.GetRequiredService<IOptions<SecurityOptions>>().Value.QueriesPerMinute;
            await Results.Problem(
                detail: $"This key started {perMinute} queries in the last minute, as many as a key may (Security:QueriesPerMinute): try again in {retryAfter} s.",
                statusCode: StatusCodes.Status429TooManyRequests,
                title: "Too many queries").ExecuteAsync(rejected.HttpContext);
        };
    }
}
