using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;

namespace DataPlatform.ServingTests.Security;

/// <summary>Request bodies have a size limit, and each key a number of queries per minute.</summary>
public sealed class RequestLimitTests(KeyedPlatform platform) : IClassFixture<KeyedPlatform>
{
    [Fact]
    public async Task A_20_MB_body_is_refused_with_413_and_a_message_before_it_is_sent()
    {
        // A client announcing 20 MB and waiting for 100-continue, as curl does: the answer comes before the body.
        var address = platform.Http.BaseAddress!;
        using var client = new TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        await using var stream = client.GetStream();
        var head = $"POST /query HTTP/1.1\r\nHost: {address.Authority}\r\nAuthorization: Bearer {platform.Tokens[ApiKeyAccessTests.Caller.Admin]}\r\n"
            + $"Content-Type: application/json\r\nContent-Length: {20 * 1024 * 1024}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("The request body is larger than the 1,048,576 bytes this server reads (Security:MaxRequestBodyBytes).", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_past_its_queries_per_minute_gets_429_with_retry_after_and_other_keys_go_on()
    {
        using var create = new HttpRequestMessage(HttpMethod.Post, "/admin/keys") { Content = JsonContent.Create(new { name = "busy analyst", role = "analyst" }) };
        platform.Sign(create, ApiKeyAccessTests.Caller.Admin);
        using var created = await platform.Http.SendAsync(create);
        var token = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

        for (var i = 0; i < KeyedPlatform.QueriesPerMinute; i++)
        {
            using var allowed = await QueryAsync(token);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        using var refused = await QueryAsync(token);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After");
        Assert.Contains("Security:QueriesPerMinute", JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var other = await QueryAsync(platform.Tokens[ApiKeyAccessTests.Caller.Analyst]);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    private Task<HttpResponseMessage> QueryAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/query") { Content = JsonContent.Create(new { sql = "SELECT 1 AS one" }) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return platform.Http.SendAsync(request);
    }
}
