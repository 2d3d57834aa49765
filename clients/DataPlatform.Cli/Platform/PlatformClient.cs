using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DataPlatform.Cli.Platform;

/// <summary>
/// The REST API of one silo, as <c>dp</c> uses it: JSON in and out, the API key in <c>X-Api-Key</c>. An error
/// answer becomes a <see cref="CommandFailedException"/> carrying the problem's <c>detail</c> (exit code 1); no answer at
/// all becomes one with exit code 3.
/// </summary>
public sealed class PlatformClient : IDisposable
{
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>How long a request may wait for its answer; a query's own timeout on the server is shorter.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient _http;

    public PlatformClient(Uri baseAddress, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        BaseAddress = baseAddress;
        ApiKey = string.IsNullOrWhiteSpace(apiKey) ? null : apiKey.Trim();
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = RequestTimeout };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (ApiKey is not null)
        {
            _http.DefaultRequestHeaders.Add(ApiKeyHeader, ApiKey);
        }
    }

    public Uri BaseAddress { get; }

    public string? ApiKey { get; }

    /// <summary>A path with each segment escaped, e.g. <c>Path("users", id, "sessions")</c>.</summary>
    public static string Path(params string[] segments) =>
        string.Join('/', segments.Select(Uri.EscapeDataString));

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, body: null, cancellationToken);

    public Task<JsonElement> PostAsync(string path, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, body: null, cancellationToken);

    public void Dispose() => _http.Dispose();

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        // Relative to the base address, so that a silo behind a proxy under a path prefix works too.
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw CommandFailedException.Unreachable(BaseAddress.ToString(), ex.Message, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw CommandFailedException.Unreachable(BaseAddress.ToString(), $"no answer within {RequestTimeout.TotalSeconds:0} s", ex);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CommandFailedException(ExitCodes.ServerError, ServerProblem.Describe(response.StatusCode, response.Headers.RetryAfter, text));
            }
            if (string.IsNullOrWhiteSpace(text))
            {
                return default;
            }
            try
            {
                return JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new CommandFailedException(ExitCodes.ServerError, $"{BaseAddress} answered {(int)response.StatusCode} with something that is not JSON; is it a DataPlatform silo?", ex);
            }
        }
    }
}
