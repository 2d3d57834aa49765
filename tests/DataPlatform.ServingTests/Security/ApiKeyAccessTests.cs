using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPlatform.Api.Security;
using DataPlatform.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Security;

/// <summary>
/// A platform with API keys: its admin key comes from Security:AdminKey, the others are created in its key
/// file before it starts. Every endpoint is asked with no key, a wrong key, a revoked key and each role.
/// </summary>
public sealed class ApiKeyAccessTests(KeyedPlatform platform) : IClassFixture<KeyedPlatform>
{
    public enum Caller { None, Wrong, Revoked, Viewer, Analyst, Admin }

    /// <summary>Every endpoint and the role it needs (null: open to anyone).</summary>
    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "GET", "/health", null },
        { "GET", "/openapi/v1.json", null },
        { "GET", "/kpis", ApiPolicies.Viewer },
        { "GET", "/kpis/history", ApiPolicies.Viewer },
        { "GET", "/segments", ApiPolicies.Analyst },
        { "GET", "/funnels", ApiPolicies.Viewer },
        { "GET", "/cohorts", ApiPolicies.Viewer },
        { "GET", "/alerts", ApiPolicies.Viewer },
        { "GET", "/users/someone", ApiPolicies.Analyst },
        { "GET", "/users/someone/sessions", ApiPolicies.Analyst },
        { "GET", "/users/someone/export", ApiPolicies.Analyst },
        { "GET", "/sessions/some-session", ApiPolicies.Analyst },
        { "GET", "/tables", ApiPolicies.Analyst },
        { "GET", "/tables/silver.app_events", ApiPolicies.Analyst },
        { "GET", "/tables/silver.app_events/preview", ApiPolicies.Analyst },
        { "GET", "/tables/silver.app_events/history", ApiPolicies.Analyst },
        { "POST", "/query", ApiPolicies.Analyst },
        { "GET", "/catalog", ApiPolicies.Analyst },
        { "GET", "/quality", ApiPolicies.Analyst },
        { "GET", "/catalog/lineage/silver.app_events", ApiPolicies.Analyst },
        { "GET", "/admin/keys", ApiPolicies.Admin },
        { "DELETE", "/admin/keys/no-such-key", ApiPolicies.Admin },
        { "GET", "/admin/keys/no-such-key", ApiPolicies.Admin },
        { "DELETE", "/users/someone-erased", ApiPolicies.Admin },
        { "GET", "/orleans/", ApiPolicies.Admin },
        { "GET", "/metrics", ApiPolicies.Admin },
        { "GET", "/no/such/path", ApiPolicies.Admin },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_caller_is_let_in_or_refused_as_its_role_says(string method, string path, string? needs)
    {
        foreach (var caller in Enum.GetValues<Caller>())
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = JsonContent.Create(new { sql = "SELECT 1 AS one" });
            }
            platform.Sign(request, caller);
            using var response = await platform.Http.SendAsync(request);
            var expected = Expected(caller, needs);
            if (expected is { } status)
            {
                Assert.True(response.StatusCode == status, $"{caller} {method} {path}: {(int)response.StatusCode}, expected {(int)status}");
                var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
            }
            else
            {
                Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"{caller} {method} {path}: {(int)response.StatusCode}, expected to be let in");
            }
        }
    }

    [Fact]
    public async Task The_kpi_hub_refuses_a_connection_without_a_key_and_takes_one_as_access_token()
    {
        using var without = await platform.Http.PostAsync("/hubs/kpis/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        using var wrong = await platform.Http.PostAsync("/hubs/kpis/negotiate?negotiateVersion=1&access_token=dp_nobody_secret", null);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var viewer = await platform.Http.PostAsync($"/hubs/kpis/negotiate?negotiateVersion=1&access_token={Uri.EscapeDataString(platform.Tokens[Caller.Viewer])}", null);
        Assert.Equal(HttpStatusCode.OK, viewer.StatusCode);
        // Elsewhere a key in the query string is not read: it would end up in logs and browser history.
        using var query = await platform.Http.GetAsync($"/kpis?access_token={Uri.EscapeDataString(platform.Tokens[Caller.Viewer])}");
        Assert.Equal(HttpStatusCode.Unauthorized, query.StatusCode);
    }

    [Fact]
    public async Task The_orleans_dashboard_opened_with_an_admin_key_keeps_it_in_a_cookie_for_its_own_requests_only()
    {
        using var handler = new HttpClientHandler { UseCookies = true };
        using var browser = new HttpClient(handler) { BaseAddress = platform.Http.BaseAddress };

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/orleans/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await browser.GetAsync($"/orleans/?access_token={Uri.EscapeDataString(platform.Tokens[Caller.Analyst])}")).StatusCode);
        using var opened = await browser.GetAsync($"/orleans/?access_token={Uri.EscapeDataString(platform.Tokens[Caller.Admin])}");
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Contains("HttpOnly", string.Join(';', opened.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/orleans/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/kpis")).StatusCode);
    }

    [Fact]
    public async Task An_admin_creates_a_key_that_works_for_its_role_at_once_and_stops_working_when_revoked()
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/admin/keys") { Content = JsonContent.Create(new { name = "dashboard tv", role = "viewer" }) };
        platform.Sign(create, Caller.Admin);
        using var created = await platform.Http.SendAsync(create);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var token = key.GetProperty("key").GetString()!;
        var id = key.GetProperty("id").GetString()!;
        using (var located = await SendAsync(HttpMethod.Get, created.Headers.Location!.ToString(), platform.Tokens[Caller.Admin]))
        {
            Assert.Equal(HttpStatusCode.OK, located.StatusCode);
            Assert.Equal("dashboard tv", JsonDocument.Parse(await located.Content.ReadAsStringAsync()).RootElement.GetProperty("name").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/kpis", token)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, "/tables", token)).StatusCode);
        using var list = new HttpRequestMessage(HttpMethod.Get, "/admin/keys");
        platform.Sign(list, Caller.Admin);
        var listed = await (await platform.Http.SendAsync(list)).Content.ReadAsStringAsync();
        Assert.Contains(id, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(token[(token.LastIndexOf('_') + 1)..], listed, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", listed, StringComparison.OrdinalIgnoreCase);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, $"/admin/keys/{id}", platform.Tokens[Caller.Admin])).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, "/kpis", token)).StatusCode);
        using var again = await SendAsync(HttpMethod.Delete, $"/admin/keys/{id}", platform.Tokens[Caller.Admin]);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("revoked_at").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Delete, "/admin/keys/no-such-key", platform.Tokens[Caller.Admin])).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "/admin/keys/no-such-key", platform.Tokens[Caller.Admin])).StatusCode);
    }

    [Theory]
    [InlineData("""{"name":"","role":"viewer"}""")]
    [InlineData("""{"name":"ops","role":"owner"}""")]
    [InlineData("""{"name":"ops"}""")]
    public async Task A_key_request_that_says_no_valid_name_or_role_is_a_400_with_a_message(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/keys") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        platform.Sign(request, Caller.Admin);
        using var response = await platform.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_that_listens_beyond_loopback_without_any_key_refuses_to_start_and_says_how_to_make_one()
    {
        var directory = Directory.CreateTempSubdirectory("dp-open-silo-").FullName;
        try
        {
            await using var app = PlatformHost.Build([.. KeyedPlatform.SiloArguments(directory), "--urls", "http://0.0.0.0:0"]);
            var refusal = await Assert.ThrowsAsync<InvalidOperationException>(() => app.StartAsync());
            Assert.Contains("no API key exists", refusal.Message, StringComparison.Ordinal);
            Assert.Contains("keys create --name <who> --role admin", refusal.Message, StringComparison.Ordinal);
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task A_silo_whose_expectations_file_does_not_fit_refuses_to_start_and_names_the_problem()
    {
        var directory = Directory.CreateTempSubdirectory("dp-broken-rules-").FullName;
        try
        {
            var rules = Path.Combine(directory, "expectations.json");
            await File.WriteAllTextAsync(rules, """{ "silver.orders": [{ "name": "amount", "rule": "range", "column": "amount", "min": 0 }] }""");
            await using var app = PlatformHost.Build([.. KeyedPlatform.SiloArguments(directory), "--Lake:ExpectationsFile", rules]);
            var refusal = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
            Assert.Contains($"The expectations file {rules}: Expectation 'amount' of silver.orders names column amount, which silver.orders does not have.",
                refusal.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task The_dashboard_asks_for_a_key_and_goes_live_with_a_viewer_key()
    {
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new Microsoft.Playwright.BrowserTypeLaunchOptions
        {
            ExecutablePath = Browser.DashboardBrowserTests.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
        });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(platform.Http.BaseAddress!.ToString());

        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("key-form")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("connection")).Not.ToHaveTextAsync("live");
        await page.GetByTestId("api-key").FillAsync(platform.Tokens[Caller.Viewer]);
        await page.GetByTestId("api-key").PressAsync("Enter");

        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("connection")).ToHaveTextAsync("live", new() { Timeout = 20_000 });
        await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("key-form")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task A_silo_on_loopback_is_open_until_its_first_key_and_stays_closed_when_that_key_is_revoked()
    {
        var directory = Directory.CreateTempSubdirectory("dp-open-silo-").FullName;
        try
        {
            await using var app = PlatformHost.Build([.. KeyedPlatform.SiloArguments(directory), "--urls", "http://127.0.0.1:0"]);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/kpis")).StatusCode);
            using var created = await http.PostAsJsonAsync("/admin/keys", new { name = "first", role = "admin" });
            var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/kpis")).StatusCode);

            using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/admin/keys/{key.GetProperty("id").GetString()}");
            revoke.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key.GetProperty("key").GetString());
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(revoke)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/kpis")).StatusCode);
            await app.StopAsync();
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return await platform.Http.SendAsync(request);
    }

    private static HttpStatusCode? Expected(Caller caller, string? needs)
    {
        if (needs is null)
        {
            return null;
        }
        if (caller is Caller.None or Caller.Wrong or Caller.Revoked)
        {
            return HttpStatusCode.Unauthorized;
        }
        Assert.True(ApiPolicies.TryParse(needs, out var needed), needs);
        var held = caller switch { Caller.Viewer => ApiRole.Viewer, Caller.Analyst => ApiRole.Analyst, _ => ApiRole.Admin };
        return held >= needed ? null : HttpStatusCode.Forbidden;
    }
}

/// <summary>The platform with keys (simulator off), listening on loopback: keys exist, so every caller needs one.</summary>
public sealed class KeyedPlatform : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dp-keyed-").FullName;
    private WebApplication? _app;

    /// <summary>Enough for every test of a class; the limit's own test spends a key of its own.</summary>
    public const int QueriesPerMinute = 200;

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The platform's own directory: its lake and key file.</summary>
    public string DataDirectory => _directory;

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The platform has not started.");

    public Dictionary<ApiKeyAccessTests.Caller, string> Tokens { get; } = [];

    public static string[] SiloArguments(string directory) =>
    [
        "--Orleans:SiloPort", FreePort(), "--Orleans:GatewayPort", FreePort(),
        "--Orleans:ClusterId", $"keyed-{Guid.NewGuid():N}",
        "--Platform:Profile", "Development",
        "--Simulator:Enabled", "false",
        "--Kafka:EmbeddedPort", "0",
        "--Lake:Root", Path.Combine(directory, "lake"),
        "--Security:KeyFile", Path.Combine(directory, "security", "api-keys.json"),
        "--Lake:RetentionDays:bronze.app_events", "7",
        "--Logging:LogLevel:Default", "Warning",
    ];

    public void Sign(HttpRequestMessage request, ApiKeyAccessTests.Caller caller)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (caller == ApiKeyAccessTests.Caller.None)
        {
            return;
        }
        // Both ways of sending a key: Bearer for some callers, X-Api-Key for the others.
        if (caller is ApiKeyAccessTests.Caller.Viewer or ApiKeyAccessTests.Caller.Admin or ApiKeyAccessTests.Caller.Revoked)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens[caller]);
        }
        else
        {
            request.Headers.Add("X-Api-Key", Tokens[caller]);
        }
    }

    public async Task InitializeAsync()
    {
        using var store = new FileApiKeyStore(Path.Combine(_directory, "security", "api-keys.json"));
        foreach (var (caller, role) in new[] { (ApiKeyAccessTests.Caller.Viewer, ApiRole.Viewer), (ApiKeyAccessTests.Caller.Analyst, ApiRole.Analyst), (ApiKeyAccessTests.Caller.Revoked, ApiRole.Admin) })
        {
            var (key, token) = ApiKeyToken.NewKey(caller.ToString(), role, DateTimeOffset.UtcNow);
            await store.AddAsync(key, CancellationToken.None);
            Tokens[caller] = token;
            if (caller == ApiKeyAccessTests.Caller.Revoked)
            {
                await store.RevokeAsync(key.Id, DateTimeOffset.UtcNow, CancellationToken.None);
            }
        }
        Tokens[ApiKeyAccessTests.Caller.Admin] = ApiKeyToken.Generate().Token;
        Tokens[ApiKeyAccessTests.Caller.Wrong] = Tokens[ApiKeyAccessTests.Caller.Viewer][..^2] + "zz";

        _app = PlatformHost.Build([.. SiloArguments(_directory), "--urls", "http://127.0.0.1:0", "--Security:AdminKey", Tokens[ApiKeyAccessTests.Caller.Admin],
            "--Security:QueriesPerMinute", QueriesPerMinute.ToString(CultureInfo.InvariantCulture)]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        Directory.Delete(_directory, recursive: true);
    }

    private static string FreePort() => RunningPlatform.FreePort().ToString(CultureInfo.InvariantCulture);
}
