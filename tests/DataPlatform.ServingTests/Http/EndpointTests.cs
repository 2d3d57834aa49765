using System.Net;
using System.Text.Json;
using DataPlatform.Contracts.Events;

namespace DataPlatform.ServingTests.Http;

[Collection(RunningPlatformDefinition.Name)]
public sealed class EndpointTests(RunningPlatform platform)
{
    private Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK) => platform.GetJsonAsync(path, expected);

    private async Task<JsonElement> KpisWhenAtLeastAsync(long events)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var kpis = await GetJsonAsync("/kpis");
            if (kpis.GetProperty("total_events").GetInt64() >= events || DateTime.UtcNow > deadline)
            {
                return kpis;
            }
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task Health_reports_healthy_checks()
    {
        // /health answers from figures a monitor refreshes in the background: wait for the first refresh.
        var health = await GetJsonAsync("/health");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (health.GetProperty("status").GetString() != "healthy" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            health = await GetJsonAsync("/health");
        }

        Assert.Equal("healthy", health.GetProperty("status").GetString());
        var checks = health.GetProperty("checks").EnumerateArray().ToDictionary(
            check => check.GetProperty("name").GetString()!, check => check.GetProperty("status").GetString());
        Assert.Equal("healthy", checks["silos"]);
        Assert.Equal("healthy", checks["kpis"]);
        Assert.Equal("healthy", checks["kafka"]);
        // The embedded default keeps grain state in memory, and says so.
        var storage = health.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == "storage");
        Assert.Equal("memory: not durable across restarts", storage.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Kpis_use_the_contract_names_and_total_events_grows()
    {
        var before = await KpisWhenAtLeastAsync(1);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await GetJsonAsync("/kpis");

        foreach (var name in new[] { "at", "events_per_second", "total_events", "active_users", "active_sessions", "dead_letters", "late_events", "top_event_types", "bounce_rate", "avg_session_duration_s", "orders_today", "revenue_today", "avg_order_value", "segments", "consumer_lag" })
        {
            Assert.True(after.TryGetProperty(name, out _), $"missing {name}");
        }
        Assert.True(after.GetProperty("total_events").GetInt64() > before.GetProperty("total_events").GetInt64());
        Assert.True(after.GetProperty("active_users").GetInt32() > 0);
        Assert.Equal(0, after.GetProperty("dead_letters").GetInt64());
    }

    [Fact]
    public async Task Kpi_history_lists_the_requested_minutes()
    {
        await KpisWhenAtLeastAsync(50);

        var history = await GetJsonAsync("/kpis/history?minutes=5");

        var minutes = history.EnumerateArray().ToList();
        Assert.Equal(5, minutes.Count);
        var starts = minutes.Select(m => m.GetProperty("minute").GetDateTimeOffset()).ToList();
        Assert.Equal(starts.Order(), starts);
        Assert.All(starts.Zip(starts.Skip(1)), pair => Assert.Equal(TimeSpan.FromMinutes(1), pair.Second - pair.First));
        Assert.True(minutes.Sum(m => m.GetProperty("events").GetInt64()) > 0);
        Assert.True(minutes.All(m => m.TryGetProperty("active_users", out _)));
        Assert.Equal(60, (await GetJsonAsync("/kpis/history")).GetArrayLength());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1441")]
    [InlineData("abc")]
    [InlineData("-5")]
    public async Task Kpi_history_rejects_bad_minutes_with_400(string minutes)
    {
        using var response = await platform.Http.GetAsync($"/kpis/history?minutes={minutes}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("minutes must be a whole number from 1 to 1440", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_seen_by_the_simulator_has_a_live_profile()
    {
        var (userId, timestamp) = platform.FirstUserEvents(1)[0].Event switch
        {
            AppEvent e => (e.UserId, e.Timestamp),
            ClickstreamEvent c => (c.UserId, c.Timestamp),
            _ => throw new InvalidOperationException("unexpected record"),
        };
        await KpisWhenAtLeastAsync(50);

        var profile = await GetJsonAsync($"/users/{userId}");

        Assert.Equal(userId, profile.GetProperty("user_id").GetString());
        Assert.Equal(timestamp, profile.GetProperty("first_seen").GetDateTimeOffset());
        Assert.True(profile.GetProperty("total_events").GetInt64() >= 1);
        Assert.Equal(JsonValueKind.Object, profile.GetProperty("events_by_type").ValueKind);
        foreach (var name in new[] { "last_seen", "sessions", "purchases", "total_revenue", "app_types", "devices", "country" })
        {
            Assert.True(profile.TryGetProperty(name, out _), $"missing {name}");
        }
    }

    [Fact]
    public async Task A_session_seen_by_the_simulator_has_a_live_snapshot()
    {
        var record = platform.FirstUserEvents(1)[0];
        var (sessionId, userId, timestamp) = record.Event switch
        {
            AppEvent e => (e.SessionId!, e.UserId, e.Timestamp),
            ClickstreamEvent c => (c.SessionId, c.UserId, c.Timestamp),
            _ => throw new InvalidOperationException("unexpected record"),
        };
        await KpisWhenAtLeastAsync(50);

        var session = await GetJsonAsync($"/sessions/{sessionId}");

        Assert.Equal(sessionId, session.GetProperty("session_id").GetString());
        Assert.Equal(userId, session.GetProperty("user_id").GetString());
        Assert.Equal(timestamp, session.GetProperty("started_at").GetDateTimeOffset());
        foreach (var name in new[] { "last_activity", "duration_s", "page_views", "clicks", "is_bounce", "converted", "path" })
        {
            Assert.True(session.TryGetProperty(name, out _), $"missing {name}");
        }
    }

    [Fact]
    public async Task A_users_sessions_and_the_segments_are_served()
    {
        var userId = platform.FirstUserEvents(1)[0].Key;
        await KpisWhenAtLeastAsync(50);

        var sessions = (await GetJsonAsync($"/users/{userId}/sessions")).EnumerateArray().ToList();
        Assert.NotEmpty(sessions);
        Assert.All(sessions, session => Assert.Equal(userId, session.GetProperty("user_id").GetString()));
        var starts = sessions.Select(session => session.GetProperty("started_at").GetDateTimeOffset()).ToList();
        Assert.Equal(starts.OrderDescending(), starts);

        var segments = (await GetJsonAsync("/segments")).EnumerateArray().ToList();
        Assert.Equal(["VIP", "Active", "Regular", "Inactive"], segments.Select(s => s.GetProperty("segment").GetString()));
        Assert.True(segments.Sum(s => s.GetProperty("users").GetInt64()) > 0);
        Assert.All(segments, s => Assert.True(s.TryGetProperty("avg_engagement", out _) && s.TryGetProperty("total_revenue", out _)));

        var profile = await GetJsonAsync($"/users/{userId}");
        foreach (var name in new[] { "engagement_score", "segment", "churn_risk", "recommended_action" })
        {
            Assert.True(profile.TryGetProperty(name, out _), $"missing {name}");
        }
        using var unknown = await platform.Http.GetAsync("/users/nobody-at-all/sessions");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("/users/nobody-at-all", "No events of user 'nobody-at-all' have been seen.")]
    [InlineData("/sessions/no-such-session", "No events of session 'no-such-session' have been seen.")]
    [InlineData("/features/nobody-at-all", "No events of user 'nobody-at-all' have been seen.")]
    public async Task Unknown_ids_get_404_problem_details(string path, string detail)
    {
        using var response = await platform.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.Equal(detail, problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("/users/", "user", "at most 128 characters")]
    [InlineData("/sessions/", "session", "at most 128 characters")]
    [InlineData("/features/", "user", "at most 128 characters")]
    public async Task Overlong_ids_get_400_problem_details(string prefix, string what, string detail)
    {
        using var response = await platform.Http.GetAsync(prefix + new string('x', 129));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains(what, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(detail, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/users/bad%01id")]
    [InlineData("/features/bad%01id")]
    public async Task Ids_with_control_characters_get_400(string path)
    {
        using var response = await platform.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("control characters", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_route_gets_404()
    {
        using var response = await platform.Http.GetAsync("/no/such/endpoint");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_page_and_its_libraries_are_served()
    {
        var page = await platform.Http.GetStringAsync("/");
        Assert.Contains("data-kpi=\"total_events\"", page, StringComparison.Ordinal);

        foreach (var path in new[] { "/app.js", "/app.css", "/lib/signalr.min.js", "/lib/chart.umd.min.js" })
        {
            using var response = await platform.Http.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_orleans_dashboard_and_the_openapi_document_are_mounted()
    {
        using var dashboard = await platform.Http.GetAsync("/orleans/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("Orleans", await dashboard.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);

        var openApi = await GetJsonAsync("/openapi/v1.json");
        var paths = openApi.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/kpis", out _));
        Assert.True(paths.TryGetProperty("/users/{id}", out _));
    }
}
