using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace DataPlatform.ServingTests.Realtime;

[Collection(RunningPlatformDefinition.Name)]
public sealed class KpiHubTests(RunningPlatform platform)
{
    [Fact]
    public async Task Clients_receive_kpis_about_once_a_second_in_the_contract_shape()
    {
        var received = Channel.CreateUnbounded<JsonElement>();
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(platform.BaseAddress, "/hubs/kpis"))
            .Build();
        connection.On<JsonElement>("kpis", snapshot => received.Writer.TryWrite(snapshot));
        await connection.StartAsync();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var snapshots = new List<JsonElement>();
        while (snapshots.Count < 3)
        {
            snapshots.Add(await received.Reader.ReadAsync(timeout.Token));
        }

        foreach (var name in new[] { "at", "events_per_second", "total_events", "active_users", "active_sessions", "dead_letters" })
        {
            Assert.True(snapshots[0].TryGetProperty(name, out _), $"missing {name}");
        }
        var times = snapshots.Select(s => s.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.True(times[1] > times[0] && times[2] > times[1]);
        Assert.True(snapshots[2].GetProperty("total_events").GetInt64() >= snapshots[0].GetProperty("total_events").GetInt64());
    }
}
