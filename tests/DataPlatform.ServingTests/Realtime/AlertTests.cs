using System.Collections.Concurrent;
using System.Text.Json;
using DataPlatform.ServingTests.Browser;
using DataPlatform.ServingTests.Security;
using DataPlatform.Silo.Hosting;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace DataPlatform.ServingTests.Realtime;

/// <summary>
/// Anomaly alerts through the real platform: a steady stream of app events over 35 minutes of event time raises no
/// alert; an error burst opens an error_share alert and a rate drop an event_rate alert, each pushed over SignalR,
/// listed by GET /alerts, shown in the dashboard's banner, closed after recovery and kept in gold.alerts.
/// </summary>
public sealed class AlertTests(AlertingPlatform platform) : IClassFixture<AlertingPlatform>
{
    private const int Steady = 40;
    private const int SteadyErrors = 1;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly ConcurrentQueue<JsonElement> _pushed = new();

    [Fact]
    public async Task An_error_burst_and_a_rate_drop_open_alerts_that_are_pushed_listed_shown_and_closed_and_a_steady_stream_raises_none()
    {
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(platform.BaseAddress, "/hubs/kpis")).Build();
        hub.On<JsonElement>("alert", alert => _pushed.Enqueue(alert));
        await hub.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await DashboardBrowserTests.LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(platform.BaseAddress.ToString());
        await Assertions.Expect(page.GetByTestId("connection")).ToHaveTextAsync("live", new() { Timeout = 20_000 });
        var banner = page.GetByTestId("alert-banner");

        // 35 steady minutes: 33 of them closed and judged, none anomalous.
        await WriteAsync(0, 35, Steady, SteadyErrors);
        Assert.Empty((await platform.GetJsonAsync("/alerts")).EnumerateArray());
        Assert.Empty(_pushed);
        await Assertions.Expect(banner).ToBeHiddenAsync();

        // Minutes 35-37 half errors, then two steady minutes close 35-37: the second anomalous minute opens the alert.
        await WriteAsync(35, 3, Steady, Steady / 2);
        await WriteAsync(38, 2, Steady, SteadyErrors);
        var errorBurst = await OpenAlertAsync("error_share", minute: 35);
        Assert.Equal("above", errorBurst.GetProperty("direction").GetString());
        Assert.Equal(0.5, errorBurst.GetProperty("value").GetDouble());
        Assert.Equal(0.025, errorBurst.GetProperty("baseline").GetDouble(), 6);
        Assert.Contains("error_share", errorBurst.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await Assertions.Expect(banner).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(banner).ToContainTextAsync("error_share", new() { Timeout = 20_000 });

        // Recovery (38-44) closes the error alert; minutes 45-48 carry 5 events each, two steady minutes close them.
        await WriteAsync(40, 5, Steady, SteadyErrors);
        await WriteAsync(45, 4, 5, 0);
        await WriteAsync(49, 2, Steady, SteadyErrors);
        await ClosedAlertAsync("error_share", minute: 35, closedMinute: 38);
        var rateDrop = await OpenAlertAsync("event_rate", minute: 45);
        Assert.Equal("below", rateDrop.GetProperty("direction").GetString());
        Assert.Equal(5, rateDrop.GetProperty("value").GetDouble());
        Assert.Equal(Steady, rateDrop.GetProperty("baseline").GetDouble());
        await Assertions.Expect(banner).ToContainTextAsync("event_rate", new() { Timeout = 20_000 });
        await Assertions.Expect(banner).Not.ToContainTextAsync("error_share", new() { Timeout = 20_000 });

        // Recovery closes the rate alert and the banner goes away.
        await WriteAsync(51, 5, Steady, SteadyErrors);
        await ClosedAlertAsync("event_rate", minute: 45, closedMinute: 49);
        await Assertions.Expect(banner).ToBeHiddenAsync(new() { Timeout = 20_000 });

        var listed = (await platform.GetJsonAsync("/alerts")).EnumerateArray().ToList();
        Assert.Equal([("event_rate", "closed"), ("error_share", "closed")],
            listed.Select(alert => (alert.GetProperty("kind").GetString(), alert.GetProperty("state").GetString())));
        Assert.Equal(4, _pushed.Count);

        // gold.alerts keeps one row per alert, replaced as it closed.
        await WaitUntilAsync(async () => (await platform.QueryAsync("SELECT count(*) FROM gold.alerts WHERE state = 'closed'"))[0][0].GetInt64() == 2,
            "both alerts closed in gold.alerts");
        var rows = await platform.QueryAsync("SELECT alert_id, signal, direction, strftime(opened_at, '%Y-%m-%dT%H:%M'), strftime(closed_at, '%Y-%m-%dT%H:%M'), value, baseline_median, peak "
            + "FROM gold.alerts ORDER BY opened_at");
        Assert.Equal([Id("error_share", 35), Id("event_rate", 45)], rows.Select(row => row[0].GetString()));
        Assert.Equal(["error_share", "event_rate"], rows.Select(row => row[1].GetString()));
        Assert.Equal(["above", "below"], rows.Select(row => row[2].GetString()));
        Assert.Equal([MinuteText(35), MinuteText(45)], rows.Select(row => row[3].GetString()));
        Assert.Equal([MinuteText(38), MinuteText(49)], rows.Select(row => row[4].GetString()));
        Assert.Equal([0.5, 5], rows.Select(row => row[5].GetDouble()));
        Assert.Equal([0.025, Steady], rows.Select(row => row[6].GetDouble()));
        Assert.Equal([0.5, 5], rows.Select(row => row[7].GetDouble()));
    }

    [Fact]
    public async Task A_silo_whose_alert_thresholds_make_no_sense_refuses_to_start_and_names_the_setting()
    {
        var directory = Directory.CreateTempSubdirectory("dp-broken-alerts-").FullName;
        try
        {
            await using var app = PlatformHost.Build([.. KeyedPlatform.SiloArguments(directory), "--Alerts:OpenThreshold", "2", "--Alerts:CloseThreshold", "3"]);
            var refusal = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("Alerts:CloseThreshold must be at least 0 and below Alerts:OpenThreshold (2; got 3)", refusal.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private async Task WriteAsync(int firstMinute, int minutes, int events, int errors)
    {
        for (var minute = firstMinute; minute < firstMinute + minutes; minute++)
        {
            await platform.WriteMinuteAsync(minute, events, errors);
        }
    }

    private DateTimeOffset Minute(int minute) => platform.FirstMinute.AddMinutes(minute);

    private string MinuteText(int minute) => Minute(minute).UtcDateTime.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private string Id(string signal, int minute) => $"{signal}-{Minute(minute).UtcDateTime:yyyyMMddHHmm}";

    /// <summary>Waits until GET /alerts lists the signal's alert open, and SignalR pushed it open; returns the listed alert.</summary>
    private async Task<JsonElement> OpenAlertAsync(string signal, int minute)
    {
        var id = Id(signal, minute);
        JsonElement listed = default;
        await WaitUntilAsync(async () => (listed = await ListedAsync(id)).ValueKind == JsonValueKind.Object, $"{id} listed");
        Assert.Equal("open", listed.GetProperty("state").GetString());
        Assert.Equal(Minute(minute), listed.GetProperty("opened_at").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("closed_at").ValueKind);
        await WaitUntilAsync(() => Task.FromResult(Pushed(id, "open")), $"{id} pushed open");
        return listed;
    }

    private async Task ClosedAlertAsync(string signal, int minute, int closedMinute)
    {
        var id = Id(signal, minute);
        await WaitUntilAsync(async () => (await ListedAsync(id)) is { ValueKind: JsonValueKind.Object } alert && alert.GetProperty("state").GetString() == "closed",
            $"{id} listed closed");
        Assert.Equal(Minute(closedMinute), (await ListedAsync(id)).GetProperty("closed_at").GetDateTimeOffset());
        await WaitUntilAsync(() => Task.FromResult(Pushed(id, "closed")), $"{id} pushed closed");
    }

    private async Task<JsonElement> ListedAsync(string id) =>
        (await platform.GetJsonAsync("/alerts")).EnumerateArray().FirstOrDefault(alert => alert.GetProperty("id").GetString() == id);

    private bool Pushed(string id, string state) =>
        _pushed.Any(alert => alert.GetProperty("id").GetString() == id && alert.GetProperty("state").GetString() == state);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Waited {Patience.TotalSeconds} s for {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
