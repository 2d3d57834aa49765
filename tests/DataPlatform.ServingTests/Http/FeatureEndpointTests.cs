using System.Net;
using System.Text.Json;

namespace DataPlatform.ServingTests.Http;

[Collection(RunningPlatformDefinition.Name)]
public sealed class FeatureEndpointTests(RunningPlatform platform)
{
    [Fact]
    public async Task A_user_seen_by_the_simulator_has_live_features_as_of_the_watermark()
    {
        var userId = platform.FirstUserEvents(1)[0].Key;
        // The user grain knows the user once the simulator's first records are through.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await platform.Http.GetAsync($"/features/{userId}");
            if (response.StatusCode != HttpStatusCode.NotFound || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(250);
        }

        var features = await platform.GetJsonAsync($"/features/{userId}");

        Assert.Equal(userId, features.GetProperty("user_id").GetString());
        var asOf = features.GetProperty("as_of").GetDateTimeOffset();
        var lastEventAt = features.GetProperty("last_event_at").GetDateTimeOffset();
        Assert.True(asOf >= lastEventAt, $"as_of {asOf:O}, last_event_at {lastEventAt:O}");
        Assert.Equal(Math.Round((asOf - lastEventAt).TotalDays, 3), features.GetProperty("recency_days").GetDouble());
        foreach (var window in new[] { "1h", "24h", "7d" })
        {
            var byType = features.GetProperty($"events_by_type_{window}");
            Assert.Equal(JsonValueKind.Object, byType.ValueKind);
            Assert.Equal(byType.EnumerateObject().Sum(type => type.Value.GetInt64()), features.GetProperty($"events_{window}").GetInt64());
            Assert.True(features.GetProperty($"sessions_{window}").GetInt64() >= 0);
        }
        // The simulator's users have events within the last 7 days of event time.
        Assert.True(features.GetProperty("events_7d").GetInt64() >= 1);
        Assert.InRange(features.GetProperty("frequency_30d").GetInt64(), 1, 30);
        Assert.True(features.GetProperty("purchases_30d").GetInt64() >= 0);
        Assert.True(features.GetProperty("monetary_90d").GetDecimal() >= 0);
        Assert.Contains(features.GetProperty("segment").GetString(), new[] { "VIP", "Active", "Regular", "Inactive" });
        Assert.Contains(features.GetProperty("churn_risk").GetString(), new[] { "low", "medium", "high" });
        Assert.InRange(features.GetProperty("engagement_score").GetDouble(), 0, 100);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_features_endpoint()
    {
        var paths = (await platform.GetJsonAsync("/openapi/v1.json")).GetProperty("paths");

        Assert.True(paths.GetProperty("/features/{user_id}").TryGetProperty("get", out var get));
        Assert.Equal("GetUserFeatures", get.GetProperty("operationId").GetString());
    }
}
