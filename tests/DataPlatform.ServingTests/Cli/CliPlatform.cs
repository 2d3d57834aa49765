using System.Net.Http.Json;
using System.Text.Json;
using DataPlatform.Api.Security;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Cli;

/// <summary>
/// A running platform of the CLI tests' own, with API keys (an admin key from Security:AdminKey): the tests create
/// and revoke keys and send simulated records, which must not change what other test classes see.
/// </summary>
public sealed class CliPlatform : RunningPlatform
{
    private readonly string _securityDirectory = Directory.CreateTempSubdirectory("dp-cli-keys-").FullName;
    private HttpClient? _admin;

    public string AdminKey { get; } = ApiKeyToken.Generate().Token;

    /// <summary>The embedded Kafka's bootstrap address, for <c>dp simulate</c>.</summary>
    public string KafkaBootstrap => Services.GetRequiredService<EmbeddedKafka.EmbeddedKafka>().BootstrapServers;

    /// <summary>An HTTP client with the admin key, to learn what the server answers directly.</summary>
    public HttpClient AdminHttp => _admin ??= CreateAdminClient();

    protected override IReadOnlyList<string> ExtraArguments =>
    [
        "--Security:KeyFile", Path.Combine(_securityDirectory, "api-keys.json"),
        "--Security:AdminKey", AdminKey,
    ];

    /// <summary>Runs <c>dp --url &lt;this silo&gt; --api-key &lt;admin&gt; ...</c>.</summary>
    public Task<DpRun> DpAsync(params string[] args) => DpWithKeyAsync(AdminKey, args);

    /// <summary>Runs <c>dp</c> against this silo with the given key (none when null).</summary>
    public Task<DpRun> DpWithKeyAsync(string? key, params string[] args) =>
        DpRun.RunAsync(["--url", BaseAddress.ToString(), .. key is null ? Array.Empty<string>() : ["--api-key", key], .. args]);

    /// <summary>The <c>detail</c> of the problem the server answers to a GET.</summary>
    public async Task<string> ProblemOfGetAsync(string path)
    {
        using var response = await AdminHttp.GetAsync(path);
        Assert.False(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}");
        return DetailOf(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The <c>detail</c> of the problem the server answers to a query.</summary>
    public async Task<string> ProblemOfQueryAsync(string sql)
    {
        using var response = await AdminHttp.PostAsJsonAsync("/query", new { sql });
        Assert.False(response.IsSuccessStatusCode, $"{sql} answered {(int)response.StatusCode}");
        return DetailOf(await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs a path with the admin key and returns its JSON.</summary>
    public async Task<JsonElement> AdminGetJsonAsync(string path)
    {
        using var response = await AdminHttp.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Waits until a GET answers 200 (a user's first events, a table's first commit), or gives up after a minute.</summary>
    public async Task<JsonElement> WhenAnsweredAsync(string path, Func<JsonElement, bool> ready)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            using var response = await AdminHttp.GetAsync(path);
            if (response.IsSuccessStatusCode)
            {
                var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                if (ready(json) || DateTime.UtcNow > deadline)
                {
                    return json;
                }
            }
            else if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"GET {path} still answers {(int)response.StatusCode}");
            }
            await Task.Delay(250);
        }
    }

    public override async Task DisposeAsync()
    {
        _admin?.Dispose();
        await base.DisposeAsync();
        Directory.Delete(_securityDirectory, recursive: true);
    }

    private static string DetailOf(string body)
    {
        var detail = JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail));
        return detail!;
    }

    private HttpClient CreateAdminClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }
}
