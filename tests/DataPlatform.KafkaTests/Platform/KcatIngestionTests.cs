using System.Globalization;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.KafkaTests.Checkpoints;
using DataPlatform.Silo.Hosting;
using DataPlatform.Streaming.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.KafkaTests.Platform;

/// <summary>
/// kcat produces JSON to the embedded Kafka running as its own process; the platform, pointed at it as
/// at any Kafka, counts every valid record and dead-letters the malformed ones with their reasons.
/// </summary>
public sealed class KcatIngestionTests
{
    [Fact]
    public async Task Records_produced_with_kcat_are_counted_and_malformed_ones_become_dead_letters()
    {
        await using var kafka = await EmbeddedKafkaProcess.StartAsync(Topics.All.Select(topic => $"{topic}:4"));
        var app = PlatformHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Orleans:SiloPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture), "--Orleans:GatewayPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            "--Orleans:ClusterId", $"kcat-{Guid.NewGuid():N}",
            "--Kafka:BootstrapServers", kafka.BootstrapServers,
            "--Kafka:ConsumerGroup", $"kcat-{Guid.NewGuid():N}",
            "--Kafka:CommitInterval", "00:00:01",
            "--Lake:Root", Path.Combine(Path.GetTempPath(), $"dp-kcat-lake-{Guid.NewGuid():N}"),
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };
            var now = DateTimeOffset.UtcNow.AddMinutes(-1);
            string Time(int second) => now.AddSeconds(second).ToString("O", CultureInfo.InvariantCulture);

            var appEvents = Enumerable.Range(0, 30).Select(i =>
                $$"""kcat-user-{{i % 3}}|{"event_id":"kcat-a-{{i}}","user_id":"kcat-user-{{i % 3}}","session_id":"kcat-s-{{i % 3}}","event_type":"{{(i % 5 == 0 ? "purchase" : "screen_view")}}","app_type":"android","timestamp":"{{Time(i)}}","value":{{(i % 5 == 0 ? "12.5" : "0")}}}""").ToList();
            // Records reach the user their payload names, whatever their Kafka key says.
            var clicks = Enumerable.Range(0, 12).Select(i =>
                $$"""{{(i == 0 ? "not-a-user" : $"kcat-user-{i % 3}")}}|{"event_id":"kcat-c-{{i}}","user_id":"kcat-user-{{i % 3}}","session_id":"kcat-w-{{i % 3}}","page_url":"/p/{{i}}","action":"page_view","timestamp":"{{Time(40 + i)}}","device":"desktop"}""").ToList();
            var malformed = new[]
            {
                "kcat-user-0|{\"event_id\":\"x1\",\"user_id\":",
                $$"""kcat-user-0|{"event_id":"x2","event_type":"click","app_type":"ios","timestamp":"{{Time(1)}}"}""",
                $$"""kcat-user-1|{"event_id":"x3","user_id":"kcat-user-1","event_type":"click","app_type":"ios","timestamp":"{{now.AddHours(3).ToString("O", CultureInfo.InvariantCulture)}}"}""",
                $$"""kcat-user-2|{"event_id":"x4","user_id":"kcat-user-2","event_type":"click","app_type":"blackberry","timestamp":"{{Time(2)}}"}""",
                "kcat-user-2|[1,2,3]",
            };

            await Kcat.ProduceAsync(kafka.BootstrapServers, Topics.AppEvents, appEvents.Concat(malformed));
            await Kcat.ProduceAsync(kafka.BootstrapServers, Topics.Clickstream, clicks);

            await CheckpointSettling.SettleAsync(app.Services.GetRequiredService<IGrainFactory>(),
                async () => await CaughtUpAsync(http, events: 42, deadLetters: 5), TimeSpan.FromSeconds(60));
            var kpis = await KpisAsync(http);
            Assert.Equal(42, kpis.GetProperty("total_events").GetInt64());
            Assert.Equal(5, kpis.GetProperty("dead_letters").GetInt64());

            for (var user = 0; user < 3; user++)
            {
                var profile = JsonDocument.Parse(await http.GetStringAsync($"/users/kcat-user-{user}")).RootElement;
                Assert.Equal(14, profile.GetProperty("total_events").GetInt64());
                Assert.Equal(4, profile.GetProperty("events_by_type").GetProperty("page_view").GetInt64());
                Assert.Equal(2, profile.GetProperty("sessions").GetInt32());
            }

            var reasons = app.Services.GetRequiredService<KafkaStreamStatistics>().DeadLettersByReason;
            Assert.Equal(new Dictionary<string, long>
            {
                ["not_json"] = 1,
                ["missing_field:user_id"] = 1,
                ["future_timestamp"] = 1,
                ["invalid_value:app_type"] = 1,
                ["not_object"] = 1,
            }, reasons.OrderBy(pair => pair.Key, StringComparer.Ordinal).ToDictionary());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<JsonElement> KpisAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/kpis")).RootElement.Clone();

    private static async Task<bool> CaughtUpAsync(HttpClient http, long events, long deadLetters)
    {
        var kpis = await KpisAsync(http);
        return kpis.GetProperty("total_events").GetInt64() >= events && kpis.GetProperty("dead_letters").GetInt64() >= deadLetters;
    }
}
