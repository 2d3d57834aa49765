using Microsoft.Playwright;

namespace DataPlatform.ServingTests.Browser;

/// <summary>Drives the real dashboard page in headless Debian Chromium.</summary>
[Collection(RunningPlatformDefinition.Name)]
public sealed class DashboardBrowserTests(RunningPlatform platform)
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Starts Debian's Chromium headless, without anything that would reach the network.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing: run ./test.sh, which installs Debian's chromium");
        return playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    [Fact]
    public async Task The_dashboard_shows_kpis_changing_without_a_reload()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        await page.GotoAsync(platform.BaseAddress.ToString());
        await Assertions.Expect(page.GetByTestId("connection")).ToHaveTextAsync("live", new() { Timeout = 20_000 });

        var totalEvents = page.Locator("[data-kpi=total_events]");
        var seen = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (seen.Count < 4 && DateTime.UtcNow < deadline)
        {
            var text = await totalEvents.InnerTextAsync();
            if (text != "–" && (seen.Count == 0 || seen[^1] != text))
            {
                seen.Add(text);
            }
            await Task.Delay(300);
        }

        Assert.True(seen.Count >= 4, $"total events changed only {Math.Max(0, seen.Count - 1)} times: {string.Join(" → ", seen)}");
        Assert.NotEqual("–", await page.Locator("[data-kpi=active_users]").InnerTextAsync());
        Assert.NotEqual("–", await page.Locator("[data-kpi=events_per_second]").InnerTextAsync());
        await Assertions.Expect(page.GetByTestId("top-event-types").Locator("li").First).ToBeVisibleAsync(new() { Timeout = 90_000 });

        // Lake health: the status of the lake check and how fresh each layer is.
        await Assertions.Expect(page.GetByTestId("lake-status")).ToHaveTextAsync("healthy", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("lake-freshness").Locator("li")).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("lake-freshness").Locator("li").First).ToContainTextAsync("s ago", new() { Timeout = 30_000 });
        // Cohort retention: the newest cohort week the API has is the first the panel lists.
        var cohorts = await platform.GetJsonAsync("/cohorts");
        var newestCohort = cohorts.EnumerateArray().Select(cell => cell.GetProperty("cohort_week").GetString()).Max(StringComparer.Ordinal);
        Assert.NotNull(newestCohort);
        await Assertions.Expect(page.GetByTestId("cohorts").Locator("li").First).ToContainTextAsync(newestCohort!, new() { Timeout = 30_000 });
        Assert.Empty(errors);

        var screenshot = Path.Combine(AppContext.BaseDirectory, "screenshots", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 0);
    }
}
