using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text.Json;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>The REST API of a cluster's silos as a client reads it: /health, the live figures and the lake's SQL (POST /query).</summary>
public sealed class SiloApi(ClusterScript cluster) : IDisposable
{
    /// <summary>The most rows POST /query answers.</summary>
    public const int MaxQueryRows = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>What silo <paramref name="silo"/>'s /health says, or null when it does not answer within <paramref name="timeout"/> (5 s by default).</summary>
    public async Task<SiloHealth?> HealthAsync(int silo, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            using var answer = await _http.GetAsync(new Uri(cluster.WebAddress(silo), "/health"), deadline.Token);
            using var health = JsonDocument.Parse(await answer.Content.ReadAsStringAsync(deadline.Token));
            return SiloHealth.Of(health.RootElement);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException)
        {
            return null;
        }
    }

    /// <summary>GET <paramref name="path"/> from silo <paramref name="silo"/> as <typeparamref name="T"/> (snake_case JSON), or null for 404.</summary>
    public async Task<T?> GetAsync<T>(int silo, string path)
        where T : class
    {
        using var answer = await _http.GetAsync(new Uri(cluster.WebAddress(silo), path));
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        await EnsureSuccessAsync(answer, path);
        return await answer.Content.ReadFromJsonAsync<T>(Json) ?? throw new InvalidOperationException($"GET {path} answered null.");
    }

    /// <summary>The rows of a query of the lake through silo <paramref name="silo"/>'s POST /query; fails when the answer was cut at <see cref="MaxQueryRows"/>.</summary>
    public async Task<IReadOnlyList<JsonElement[]>> QueryAsync(int silo, string sql)
    {
        using var answer = await _http.PostAsJsonAsync(new Uri(cluster.WebAddress(silo), "/query"), new { sql, limit = MaxQueryRows });
        await EnsureSuccessAsync(answer, $"POST /query {sql}");
        using var result = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        if (result.RootElement.GetProperty("truncated").GetBoolean())
        {
            throw new InvalidOperationException($"{sql} has more than {MaxQueryRows} rows: ask for less.");
        }
        return [.. result.RootElement.GetProperty("rows").EnumerateArray().Select(row => row.EnumerateArray().Select(value => value.Clone()).ToArray())];
    }

    public void Dispose() => _http.Dispose();

    private static async Task EnsureSuccessAsync(HttpResponseMessage answer, string what)
    {
        if (!answer.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{what} answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }
    }
}

/// <summary>
/// A silo's /health as the cluster tests read it: the partitions it reads, its consumer lag and dead letters
/// (the <c>kafka</c> check), whether its lake writer is flushing, and its checkpoint step.
/// </summary>
public sealed record SiloHealth(int PartitionsRead, long ConsumerLag, long DeadLetters, bool Flushing, string Phase, long CompletedEpoch, long Generation)
{
    public static SiloHealth Of(JsonElement health)
    {
        // "N partition(s) read by this silo, consumer lag L, D dead letter(s)"
        var kafka = health.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == "kafka");
        var words = (kafka.GetProperty("detail").GetString() ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        var checkpoint = health.GetProperty("checkpoint");
        return new SiloHealth(
            int.Parse(words[0], CultureInfo.InvariantCulture),
            long.Parse(words[Array.IndexOf(words, "lag") + 1], CultureInfo.InvariantCulture),
            long.Parse(words[Array.IndexOf(words, "dead") - 1], CultureInfo.InvariantCulture),
            health.GetProperty("lake").GetProperty("flushing").GetBoolean(),
            checkpoint.GetProperty("phase").GetString()!,
            checkpoint.GetProperty("completed_epoch").GetInt64(),
            checkpoint.GetProperty("generation").GetInt64());
    }
}
