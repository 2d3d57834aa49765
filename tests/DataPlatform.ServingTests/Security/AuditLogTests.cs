using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPlatform.Grains.Lake;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Security;

/// <summary>Queries, key changes and refused requests land in gold.audit_log, which admins alone read.</summary>
public sealed class AuditLogTests(KeyedPlatform platform) : IClassFixture<KeyedPlatform>
{
    [Fact]
    public async Task Queries_key_changes_and_refusals_are_in_the_audit_log_with_who_what_and_outcome()
    {
        var marker = $"audited_{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/query", ApiKeyAccessTests.Caller.Analyst, new { sql = $"SELECT 1 AS {marker}" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Get, $"/tables?{marker}", ApiKeyAccessTests.Caller.Viewer)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(HttpMethod.Get, $"/kpis?{marker}", ApiKeyAccessTests.Caller.Wrong)).StatusCode);
        using var created = await SendAsync(HttpMethod.Post, "/admin/keys", ApiKeyAccessTests.Caller.Admin, new { name = marker, role = "viewer" });
        var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
        Assert.True(await platform.Services.GetRequiredService<LakeWriter>().FlushAppendsAsync(CancellationToken.None));

        using var read = await SendAsync(HttpMethod.Post, "/query", ApiKeyAccessTests.Caller.Admin, new
        {
            sql = "SELECT action, role, key_name, target, detail, status FROM gold.audit_log "
                + $"WHERE detail LIKE '%{marker}%' OR target LIKE '%{marker}%' ORDER BY \"at\"",
        });
        var body = await read.Content.ReadAsStringAsync();
        Assert.True(read.StatusCode == HttpStatusCode.OK, body);
        var rows = JsonDocument.Parse(body).RootElement.GetProperty("rows").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(value => value.ValueKind == JsonValueKind.Null ? null : value.ToString()).ToArray()).ToList();

        Assert.Contains(rows, row => row[0] == "query" && row[1] == "analyst" && row[2] == "Analyst" && row[3] == "POST /query" && row[4]!.Contains(marker, StringComparison.Ordinal) && row[5] == "200");
        Assert.Contains(rows, row => row[0] == "key_create" && row[1] == "admin" && row[4]!.Contains("role=viewer", StringComparison.Ordinal) && row[5] == "201");
        Assert.DoesNotContain(token, body, StringComparison.Ordinal);

        // Refusals carry no marker in the detail: they are found by their path.
        using var refusals = await SendAsync(HttpMethod.Post, "/query", ApiKeyAccessTests.Caller.Admin, new
        {
            sql = $"SELECT action, role, status FROM gold.audit_log WHERE action IN ('forbidden', 'unauthorized') AND \"at\" > now() - INTERVAL 10 MINUTE",
        });
        var refused = await refusals.Content.ReadAsStringAsync();
        Assert.Contains("[\"forbidden\",\"viewer\",403]", refused, StringComparison.Ordinal);
        Assert.Contains("[\"unauthorized\",null,401]", refused, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_catalog_shows_the_retention_configured_for_a_table_and_the_audit_logs_own()
    {
        using var bronze = await SendAsync(HttpMethod.Get, "/tables/bronze.app_events", ApiKeyAccessTests.Caller.Analyst);
        Assert.Equal(7, JsonDocument.Parse(await bronze.Content.ReadAsStringAsync()).RootElement.GetProperty("retention_days").GetInt32());
        using var audit = await SendAsync(HttpMethod.Get, "/tables/gold.audit_log", ApiKeyAccessTests.Caller.Analyst);
        Assert.Equal(365, JsonDocument.Parse(await audit.Content.ReadAsStringAsync()).RootElement.GetProperty("retention_days").GetInt32());
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log()
    {
        using var response = await SendAsync(HttpMethod.Post, "/query", ApiKeyAccessTests.Caller.Analyst, new { sql = "SELECT count(*) FROM gold.audit_log" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("read by admins only", body, StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, ApiKeyAccessTests.Caller caller, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        platform.Sign(request, caller);
        return await platform.Http.SendAsync(request);
    }
}
