using System.Net;
using System.Text;

namespace DataPlatform.ServingTests.Security;

/// <summary>
/// Malformed JSON, odd unicode, SQL that tries to write or read the machine, and path tricks, sent to every
/// endpoint with an admin key (so they reach the handlers) and without one: every answer is a 4xx or a normal
/// answer, never a 5xx; the silo keeps answering; nothing appears outside the lake.
/// </summary>
public sealed class HostileRequestTests(KeyedPlatform platform) : IClassFixture<KeyedPlatform>
{
    private static readonly string Outside = Path.Combine(Path.GetTempPath(), $"dp-hostile-{Guid.NewGuid():N}");

    private static readonly string[] HostileIds =
    [
        "../../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e%5c%2e%2e%5cwindows", "' OR '1'='1", "x'; DROP TABLE users; --",
        "%00", "%E2%80%AE%F0%9F%98%80", "%F0%9D%95%8F", "%ED%A0%80", "%FF%FE", "<script>alert(1)</script>", new string('a', 5000),
        "silver.users@-1", "silver.users@99999999999999999999", "bronze..users", "%20",
    ];

    private static readonly string[] HostileBodies =
    [
        "{", "[]", "null", "\"sql\"", "{\"sql\": 5}", "{\"sql\": \"SELECT 1\"", "{\"sql\": [\"SELECT 1\"]}", "{\"sql\": null}",
        "{\"sql\": \"SELECT 1\", \"limit\": 1e400}", "{\"sql\": \"SELECT 1\", \"limit\": -1}", "{\"sql\": \"\\u0000\"}",
        "{\"sql\": \"\\ud800\"}", new string('[', 100_000) + new string(']', 100_000), "{\"name\": \"\\u202e\", \"role\": \"admin\\u0000\"}",
        $"{{\"sql\": \"COPY (SELECT 1) TO '{Outside}.csv'\"}}", $"{{\"sql\": \"ATTACH '{Outside}.db' AS other\"}}",
        "{\"sql\": \"INSTALL httpfs\"}", "{\"sql\": \"LOAD httpfs\"}", "{\"sql\": \"SET enable_external_access = true\"}",
        "{\"sql\": \"SELECT * FROM read_text('/etc/passwd')\"}", "{\"sql\": \"SELECT 1; DROP TABLE silver.users\"}",
        $"{{\"sql\": \"CREATE TABLE t AS SELECT 1; COPY t TO '{Outside}.parquet'\"}}", "{\"sql\": \"SELECT 1) UNION (SELECT 2\"}",
        "{\"sql\": \"PRAGMA database_list\"}", "{\"sql\": \"CALL duckdb_settings()\"}", "{\"sql\": \"EXPORT DATABASE '/tmp'\"}",
    ];

    private static readonly string[] Templates =
    [
        "/users/{0}", "/users/{0}/sessions", "/sessions/{0}", "/tables/{0}", "/tables/{0}/preview", "/tables/{0}/history",
        "/catalog/lineage/{0}", "/admin/keys/{0}", "/kpis/history?minutes={0}", "/tables?layer={0}", "/tables/silver.users/preview?limit={0}",
        "/{0}", "/orleans/{0}",
    ];

    [Fact]
    public async Task No_hostile_request_gets_a_server_error_writes_outside_the_lake_or_stops_the_silo()
    {
        var failures = new List<string>();
        foreach (var caller in new[] { ApiKeyAccessTests.Caller.Admin, ApiKeyAccessTests.Caller.None })
        {
            foreach (var id in HostileIds)
            {
                foreach (var template in Templates)
                {
                    var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id.StartsWith('%') || id.Contains('%', StringComparison.Ordinal) ? id : Uri.EscapeDataString(id));
                    foreach (var method in new[] { HttpMethod.Get, HttpMethod.Delete })
                    {
                        await ExpectNoServerErrorAsync(new HttpRequestMessage(method, path), caller, failures);
                    }
                }
            }
            foreach (var body in HostileBodies)
            {
                foreach (var path in new[] { "/query", "/admin/keys" })
                {
                    await ExpectNoServerErrorAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") }, caller, failures);
                }
            }
            var invalidUtf8 = new ByteArrayContent([0x7b, 0x22, 0x73, 0x71, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]);
            invalidUtf8.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            await ExpectNoServerErrorAsync(new HttpRequestMessage(HttpMethod.Post, "/query") { Content = invalidUtf8 }, caller, failures);
            var wrongType = new StringContent("sql=SELECT+1", Encoding.UTF8, "application/x-www-form-urlencoded");
            await ExpectNoServerErrorAsync(new HttpRequestMessage(HttpMethod.Post, "/query") { Content = wrongType }, caller, failures);
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(20)));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(Outside) + "*"));
        using var health = await platform.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private async Task ExpectNoServerErrorAsync(HttpRequestMessage request, ApiKeyAccessTests.Caller caller, List<string> failures)
    {
        using (request)
        {
            platform.Sign(request, caller);
            using var response = await platform.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{caller} {request.Method} {request.RequestUri}: {(int)response.StatusCode} {body[..Math.Min(200, body.Length)]}");
            }
            if (body.Contains("   at ", StringComparison.Ordinal) || body.Contains("Exception", StringComparison.Ordinal) || body.Contains(platform.DataDirectory, StringComparison.Ordinal))
            {
                failures.Add($"{caller} {request.Method} {request.RequestUri}: the answer shows internals: {body[..Math.Min(300, body.Length)]}");
            }
        }
    }
}
