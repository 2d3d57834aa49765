using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace DataPlatform.Benchmarks.Ingest;

/// <summary>
/// The Release silo program (DataPlatform.Silo.dll, with its own runtime settings, server GC among them) as a
/// process of its own for one benchmark run, simulator off, with a fresh cluster id, consumer group and lake,
/// so it reads every record of its Kafka from the start. Killed when disposed.
/// </summary>
public sealed class BenchmarkSilo : IAsyncDisposable
{
    private const string ServiceId = "dp-bench-ingest";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private BenchmarkSilo(ChildProgram process, int webPort, int gatewayPort, string clusterId, string lakeRoot)
    {
        Process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{webPort}");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        GatewayPort = gatewayPort;
        ClusterId = clusterId;
        LakeRoot = lakeRoot;
    }

    public ChildProgram Process { get; }

    /// <summary>The silo's web host: REST, /health and the SignalR hubs.</summary>
    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public int GatewayPort { get; }

    public string ClusterId { get; }

    public string LakeRoot { get; }

    /// <summary>Seconds from starting the process until /health answered.</summary>
    public double StartupSeconds { get; private set; }

    /// <summary>
    /// Starts the silo in <paramref name="directory"/> (its log and lake there) with <paramref name="profile"/>
    /// settings on top of the common ones, and waits until /health answers.
    /// </summary>
    public static async Task<BenchmarkSilo> StartAsync(string directory, IReadOnlyList<string> profile, string bootstrapServers, string kafkaSource)
    {
        var lakeRoot = Path.Combine(directory, "lake");
        var (web, gateway) = (LoopbackPorts.Next(), LoopbackPorts.Next());
        var clusterId = $"dp-bench-{Guid.NewGuid():N}";
        string[] arguments =
        [
            "--Urls", $"http://127.0.0.1:{web}",
            "--Orleans:ClusterId", clusterId,
            "--Orleans:ServiceId", ServiceId,
            "--Orleans:SiloPort", LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", gateway.ToString(CultureInfo.InvariantCulture),
            "--Kafka:BootstrapServers", bootstrapServers,
            "--Kafka:ConsumerGroup", $"dp-bench-{Guid.NewGuid():N}",
            "--Simulator:Enabled", "false",
            "--Lake:Root", lakeRoot,
            "--Lake:SourceId", kafkaSource,
            "--Logging:LogLevel:Default", "Warning",
            // Roll-backs and their reasons, a few lines a run.
            "--Logging:LogLevel:DataPlatform.Grains.Checkpoints", "Information",
            .. profile,
        ];

        var starting = Stopwatch.StartNew();
        var process = ChildProgram.Start("DataPlatform.Silo.dll", arguments, directory, Path.Combine(directory, "silo.log"));
        var silo = new BenchmarkSilo(process, web, gateway, clusterId, lakeRoot);
        try
        {
            await Console.Error.WriteLineAsync($"silo pid {process.Id}, log {process.LogPath}");
            await silo.WaitUntilHealthAnswersAsync();
        }
        catch
        {
            await silo.DisposeAsync();
            throw;
        }
        silo.StartupSeconds = starting.Elapsed.TotalSeconds;
        return silo;
    }

    /// <summary>
    /// GET /kpis; an answer that takes longer than the client's timeout (grain calls queue behind ingest) is asked
    /// again until <paramref name="timeout"/> has passed on <paramref name="clock"/>.
    /// </summary>
    public async Task<SiloKpis> KpisAsync(Stopwatch clock, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(clock);
        while (true)
        {
            try
            {
                using var document = JsonDocument.Parse(await Http.GetStringAsync(new Uri("/kpis", UriKind.Relative)));
                return SiloKpis.Of(document.RootElement);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                Process.EnsureRunning(clock.Elapsed, timeout, $"an answer from /kpis ({ex.Message})");
                await Task.Delay(PollInterval);
            }
        }
    }

    /// <summary>
    /// Waits until GET /kpis counts <paramref name="userEvents"/> events with no consumer lag (or
    /// <paramref name="timeout"/> passes on <paramref name="clock"/>); the KPIs then. Both: the lag also reads 0
    /// while a receiver has not learnt its position again after a rewind, and the total alone could reach the
    /// figure early if a roll-back counted some events twice.
    /// </summary>
    public async Task<SiloKpis> WaitUntilCountedAsync(long userEvents, Stopwatch clock, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(clock);
        SiloKpis kpis;
        while ((kpis = await KpisAsync(clock, timeout)).ConsumerLag > 0 || kpis.TotalEvents < userEvents)
        {
            Process.EnsureRunning(clock.Elapsed, timeout, $"KPI total of {userEvents} events with lag 0 (at {kpis.TotalEvents}, lag {kpis.ConsumerLag})");
            await Task.Delay(PollInterval);
        }
        return kpis;
    }

    /// <summary>Runs <paramref name="use"/> with an Orleans client connected to the silo's gateway.</summary>
    public async Task<T> WithClientAsync<T>(Func<IClusterClient, Task<T>> use)
    {
        ArgumentNullException.ThrowIfNull(use);
        using var host = new HostBuilder()
            .UseOrleansClient(orleans => orleans
                .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, GatewayPort))
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = ClusterId;
                    options.ServiceId = ServiceId;
                }))
            .Build();
        await host.StartAsync();
        try
        {
            return await use(host.Services.GetRequiredService<IClusterClient>());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }

    /// <summary>Any HTTP answer counts (503 means a check is unhealthy, not that the silo is down), as in cluster.sh.</summary>
    private async Task WaitUntilHealthAnswersAsync()
    {
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri("/health", UriKind.Relative));
                return;
            }
            catch (HttpRequestException)
            {
                Process.EnsureRunning(waiting.Elapsed, StartTimeout, "an answer from /health");
                await Task.Delay(PollInterval);
            }
        }
    }
}

/// <summary>The figures of GET /kpis a benchmark waits on.</summary>
public sealed record SiloKpis(long TotalEvents, long ConsumerLag, long DeadLetters, long RecordsLost)
{
    /// <summary>How these KPIs differ from every one of <paramref name="userEvents"/> counted with no dead letter or lost record; null when they do not.</summary>
    public string? MismatchWith(long userEvents) =>
        TotalEvents != userEvents || DeadLetters > 0 || RecordsLost > 0
            ? $"the KPIs count {TotalEvents} events of {userEvents}, {DeadLetters} dead letters and {RecordsLost} lost records (0 expected)"
            : null;

    /// <summary>Reads them from a <c>kpis</c> snapshot, as GET /kpis answers and SignalR pushes it.</summary>
    public static SiloKpis Of(JsonElement snapshot) =>
        new(snapshot.GetProperty("total_events").GetInt64(), snapshot.GetProperty("consumer_lag").GetInt64(),
            snapshot.GetProperty("dead_letters").GetInt64(), snapshot.GetProperty("records_lost").GetInt64());
}
