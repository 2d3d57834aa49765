using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Realtime;

/// <summary>
/// A platform without the simulator, whose app events a test writes itself, minute by minute of event time, into
/// the platform's embedded Kafka. A minute closes one minute after it ends (Kpis:AllowedLateness), so alerts follow
/// the stream closely.
/// </summary>
public sealed class AlertingPlatform : RunningPlatform
{
    public static readonly TimeSpan AllowedLateness = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const int Users = 20;

    private IProducer<string, string>? _producer;
    private long _produced;

    protected override IReadOnlyList<string> ExtraArguments =>
        ["--Simulator:Enabled", "false", "--Kpis:AllowedLateness", AllowedLateness.ToString("c", CultureInfo.InvariantCulture)];

    /// <summary>The first minute of event time the tests write: two hours ago, so that every minute they write lies in the past.</summary>
    public DateTimeOffset FirstMinute { get; } = MinuteOf(DateTimeOffset.UtcNow.AddHours(-2));

    /// <summary>
    /// Writes one minute of app events (<paramref name="events"/> of them, <paramref name="errors"/> of type error,
    /// spread over the minute) and waits until the KPIs counted every event written so far: the next minute's events
    /// can then never make one of this minute late.
    /// </summary>
    public async Task WriteMinuteAsync(int minute, int events, int errors)
    {
        _producer ??= new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = Services.GetRequiredService<EmbeddedKafka.EmbeddedKafka>().BootstrapServers,
        }).Build();
        var start = FirstMinute.AddMinutes(minute);
        for (var i = 0; i < events; i++)
        {
            var user = $"alert-user-{i % Users}";
            var record = JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["event_id"] = $"alert-{minute}-{i}",
                ["user_id"] = user,
                ["event_type"] = i < errors ? "error" : i % 2 == 0 ? "screen_view" : "button_click",
                ["app_type"] = "ios",
                ["timestamp"] = start.AddSeconds(59.0 * i / events).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            });
            await _producer.ProduceAsync("topic_app_events", new Message<string, string> { Key = user, Value = record });
        }
        _produced += events;
        var deadline = DateTimeOffset.UtcNow + Patience;
        while ((await GetJsonAsync("/kpis")).GetProperty("total_events").GetInt64() < _produced)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The KPIs did not count the {_produced} events written up to minute {minute} within {Patience.TotalSeconds} s.");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public override async Task DisposeAsync()
    {
        _producer?.Dispose();
        await base.DisposeAsync();
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
}
