using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Silo.Hosting;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests;

/// <summary>
/// The real platform process (silo + web + in-process simulator) on free ports. The simulator's seed and
/// start time are fixed, so the first records it sends are known to the tests.
/// </summary>
public class RunningPlatform : IAsyncLifetime
{
    public const int Seed = 77;
    public const double Rate = 150;

    private WebApplication? _app;

    /// <summary>Half an hour ago, 5 seconds before a minute ends, so a complete minute exists within seconds.</summary>
    public DateTimeOffset SimulatorStart { get; } = StartingBeforeAMinuteEnds(DateTimeOffset.UtcNow.AddMinutes(-30));

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The platform's lake, in a temporary directory removed when the platform stops.</summary>
    public string LakeRoot { get; } = Path.Combine(Path.GetTempPath(), $"dp-serving-lake-{Guid.NewGuid():N}");

    public HttpClient Http { get; private set; } = null!;

    /// <summary>The platform's services, for tests that reach behind the API (the silo's lake writer, the lake's query places).</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The platform has not started.");

    /// <summary>The first user events (app events and clickstream) the in-process simulator sends, regenerated from its seed.</summary>
    public IReadOnlyList<SimulatedRecord> FirstUserEvents(int count) =>
        [.. new EventGenerator(Simulation, SimulatorStart).Take(long.MaxValue)
            .Where(record => record.Event is AppEvent or ClickstreamEvent)
            .Take(count)];

    /// <summary>GETs a path, asserts the status code and returns the JSON body.</summary>
    public async Task<JsonElement> GetJsonAsync(string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Runs SQL through POST /query, asserts it answered, and returns the rows.</summary>
    public async Task<List<JsonElement[]>> QueryAsync(string sql)
    {
        using var response = await Http.PostAsJsonAsync("/query", new { sql });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{sql}: {body}");
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("rows").EnumerateArray().Select(row => row.EnumerateArray().Select(value => value.Clone()).ToArray())];
    }

    /// <summary>Settings a platform of a test class of its own adds to the shared ones.</summary>
    protected virtual IReadOnlyList<string> ExtraArguments => [];

    public async Task InitializeAsync()
    {
        var options = Simulation;
        _app = PlatformHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Orleans:SiloPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Orleans:ClusterId", $"serving-tests-{Guid.NewGuid():N}",
            "--Platform:Profile", "Development",
            "--Simulator:Enabled", "true",
            "--Simulator:Seed", options.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Simulator:Rate", options.Rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Simulator:Users", options.Users.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Simulator:ConcurrentSessions", options.ConcurrentSessions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--Simulator:DuplicateFraction", "0",
            "--Simulator:MalformedFraction", "0",
            "--Simulator:RuleBreakingFraction", options.RuleBreakingFraction.ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. options.Count is { } count ? ["--Simulator:Count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)] : Array.Empty<string>(),
            "--Simulator:Start", SimulatorStart.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            "--Kafka:EmbeddedPort", "0",
            "--Lake:Root", LakeRoot,
            "--Lake:FlushInterval", "00:00:01",
            "--Lake:GoldSnapshotInterval", "00:00:02",
            "--Logging:LogLevel:Default", "Warning",
            .. ExtraArguments,
        ]);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public virtual async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        if (Directory.Exists(LakeRoot))
        {
            Directory.Delete(LakeRoot, recursive: true);
        }
    }

    private static DateTimeOffset StartingBeforeAMinuteEnds(DateTimeOffset at) =>
        new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddSeconds(55);

    /// <summary>What the in-process simulator sends (its start is <see cref="SimulatorStart"/>).</summary>
    protected virtual SimulatorOptions Simulation => new()
    {
        Seed = Seed,
        Rate = Rate,
        Users = 400,
        ConcurrentSessions = 100,
        DuplicateFraction = 0,
    };

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class RunningPlatformDefinition : ICollectionFixture<RunningPlatform>
{
    public const string Name = "running platform";
}
