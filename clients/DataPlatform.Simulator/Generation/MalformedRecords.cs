using System.Globalization;
using System.Text;
using Bogus;
using DataPlatform.Contracts.Events;

namespace DataPlatform.Simulator.Generation;

/// <summary>Records that break one edge rule each, with the reason code the edge must give them.</summary>
internal static class MalformedRecords
{
    public static SimulatedRecord Create(Randomizer random, string id, string userId, DateTimeOffset now)
    {
        var time = now.ToString("O", CultureInfo.InvariantCulture);
        return random.Number(0, 5) switch
        {
            0 => Make(Topics.AppEvents, userId, $"{{\"event_id\":\"{id}\",\"user_id\":", "not_json"),
            1 => Make(Topics.AppEvents, userId,
                $$"""{"event_id":"{{id}}","event_type":"screen_view","app_type":"ios","timestamp":"{{time}}"}""", "missing_field:user_id"),
            2 => Make(Topics.Clickstream, userId,
                $$"""{"event_id":"{{id}}","user_id":"{{userId}}","session_id":"s-x","page_url":"/","action":"click","timestamp":"last tuesday"}""",
                "invalid_timestamp"),
            3 => Make(Topics.AppEvents, userId,
                $$"""{"event_id":"{{id}}","user_id":"{{userId}}","event_type":"purchase","app_type":"ios","timestamp":"{{now.AddHours(2).ToString("O", CultureInfo.InvariantCulture)}}","value":10}""",
                "future_timestamp"),
            4 => Make(Topics.AppEvents, userId,
                $$"""{"event_id":"{{id}}","user_id":"{{userId}}","event_type":"purchase","app_type":"ios","timestamp":"{{time}}","value":"12.50"}""",
                "invalid_type:value"),
            _ => Make(Topics.CdcChanges, userId,
                $$"""{"op":"x","source":{"table":"orders"},"ts_ms":{{now.ToUnixTimeMilliseconds()}},"after":{"order_id":"o-bad"} }""", "unknown_op"),
        };
    }

    private static SimulatedRecord Make(string topic, string key, string json, string reason) =>
        new(topic, key, Encoding.UTF8.GetBytes(json), null, reason);
}
