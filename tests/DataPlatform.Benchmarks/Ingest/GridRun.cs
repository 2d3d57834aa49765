using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Users;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;

namespace DataPlatform.Benchmarks.Ingest;

/// <summary>
/// One silo taking in the pre-loaded records: the Release silo program (DataPlatform.Silo.dll, with its own
/// runtime settings, server GC among them) as a process of its own, simulator off, with a fresh cluster id,
/// consumer group and lake, so it reads every record from the start. The clock starts when /health answers
/// and stops when the consumer lag is 0 and the KPI grain counts every distinct user event. After that,
/// untimed: the next completed checkpoint is awaited (it commits the last records' state and lake rows) and
/// bronze and silver are counted; with an idle time, the silo then idles that long. Counts that differ from the records' are returned, not thrown: the timing
/// stands, and the caller fails the run.
/// </summary>
public static class GridRun
{
    private const string ServiceId = "dp-bench-ingest";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan AfterCountedTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs the silo with <paramref name="profile"/> settings on top of the common ones and times it.</summary>
    public static async Task<GridFigures> RunAsync(
        string directory, IReadOnlyList<string> profile, string bootstrapServers, string kafkaSource,
        PreloadedRecords expected, ChildProgram kafka, TimeSpan timeout, TimeSpan idleAfter = default)
    {
        var lakeRoot = Path.Combine(directory, "lake");
        var (web, gateway) = (LoopbackPorts.Next(), LoopbackPorts.Next());
        var clusterId = $"dp-bench-ingest-{Guid.NewGuid():N}";
        string[] arguments =
        [
            "--Urls", $"http://127.0.0.1:{web}",
            "--Orleans:ClusterId", clusterId,
            "--Orleans:ServiceId", ServiceId,
            "--Orleans:SiloPort", LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", gateway.ToString(CultureInfo.InvariantCulture),
            "--Kafka:BootstrapServers", bootstrapServers,
            "--Kafka:ConsumerGroup", $"dp-bench-ingest-{Guid.NewGuid():N}",
            "--Simulator:Enabled", "false",
            "--Lake:Root", lakeRoot,
            "--Lake:SourceId", kafkaSource,
            "--Logging:LogLevel:Default", "Warning",
            // Roll-backs and their reasons, a few lines a run.
            "--Logging:LogLevel:DataPlatform.Grains.Checkpoints", "Information",
            .. profile,
        ];

        var starting = Stopwatch.StartNew();
        await using var silo = ChildProgram.Start("DataPlatform.Silo.dll", arguments, directory, Path.Combine(directory, "silo.log"));
        await Console.Error.WriteLineAsync($"silo pid {silo.Id}, log {silo.LogPath}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{web}"), Timeout = TimeSpan.FromSeconds(30) };
        await WaitUntilHealthAnswersAsync(http, silo);
        var startupSeconds = starting.Elapsed.TotalSeconds;

        var residentAtReady = silo.ResidentBytes;
        var loadBefore = MachineLoad.Now();
        var (siloCpu, kafkaCpu) = (silo.CpuTime, kafka.CpuTime);
        var readyAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var eventsAtReady = (await KpisAsync(http, silo, clock, timeout)).TotalEvents;
        Kpis kpis;
        // Both: the lag also reads 0 while a receiver has not learnt its position again after a rewind, and the
        // total alone could reach the figure early if a roll-back counted some events twice.
        while ((kpis = await KpisAsync(http, silo, clock, timeout)).ConsumerLag > 0 || kpis.TotalEvents < expected.UserEvents)
        {
            silo.EnsureRunning(clock.Elapsed, timeout, $"KPI total of {expected.UserEvents} events with lag 0 (at {kpis.TotalEvents}, lag {kpis.ConsumerLag})");
            await Task.Delay(PollInterval);
        }
        var countedAt = DateTimeOffset.UtcNow;
        var ingest = new IngestFigures(expected.Records, clock.Elapsed.TotalSeconds,
            (silo.CpuTime - siloCpu).TotalSeconds, (kafka.CpuTime - kafkaCpu).TotalSeconds, loadBefore, MachineLoad.Now());
        await Console.Error.WriteLineAsync(
            $"every record read, {kpis.TotalEvents} events counted: {ingest.RecordsPerSecond:0} records/s in {ingest.Seconds:0.0} s, {ingest.CpuSeconds:0.0} s CPU (load {ingest.LoadBefore} → {ingest.LoadAfter})");

        var checkpoint = await CheckpointAfterAsync(gateway, clusterId, countedAt, silo);
        var mismatches = await LakeMismatchesAsync(lakeRoot, expected, silo);
        var lakeSeconds = clock.Elapsed.TotalSeconds;
        var residentAtEnd = silo.ResidentBytes;
        IdleFigures? idle = null;
        if (idleAfter > TimeSpan.Zero)
        {
            var activeAtEnd = await UserActivationsAsync(gateway, clusterId);
            await Console.Error.WriteLineAsync($"{activeAtEnd} user grains active; idle for {idleAfter.TotalSeconds:0} s ...");
            await Task.Delay(idleAfter);
            silo.EnsureRunning(TimeSpan.Zero, idleAfter, "the end of the idle time");
            idle = new IdleFigures(idleAfter, activeAtEnd, await UserActivationsAsync(gateway, clusterId), silo.ResidentBytes);
        }
        if (kpis.TotalEvents != expected.UserEvents || kpis.DeadLetters > 0 || kpis.RecordsLost > 0)
        {
            mismatches.Insert(0, $"the KPIs count {kpis.TotalEvents} events of {expected.UserEvents}, {kpis.DeadLetters} dead letters and {kpis.RecordsLost} lost records (0 expected)");
        }
        return new GridFigures(ingest, startupSeconds, eventsAtReady, kpis.TotalEvents, (checkpoint.CompletedAt!.Value - readyAt).TotalSeconds,
            lakeSeconds, checkpoint.CompletedEpoch, checkpoint.RollBacks, residentAtReady, residentAtEnd, idle, mismatches);
    }

    /// <summary>Any HTTP answer counts (503 means a check is unhealthy, not that the silo is down), as in cluster.sh.</summary>
    private static async Task WaitUntilHealthAnswersAsync(HttpClient http, ChildProgram silo)
    {
        var waiting = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                return;
            }
            catch (HttpRequestException)
            {
                silo.EnsureRunning(waiting.Elapsed, StartTimeout, "an answer from /health");
                await Task.Delay(PollInterval);
            }
        }
    }

    /// <summary>GET /kpis; an answer that takes longer than the client's timeout (grain calls queue behind ingest) is asked again.</summary>
    private static async Task<Kpis> KpisAsync(HttpClient http, ChildProgram silo, Stopwatch clock, TimeSpan timeout)
    {
        while (true)
        {
            try
            {
                using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/kpis", UriKind.Relative)));
                var root = document.RootElement;
                return new Kpis(root.GetProperty("total_events").GetInt64(), root.GetProperty("consumer_lag").GetInt64(),
                    root.GetProperty("dead_letters").GetInt64(), root.GetProperty("records_lost").GetInt64());
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                silo.EnsureRunning(clock.Elapsed, timeout, $"an answer from /kpis ({ex.Message})");
            }
        }
    }

    /// <summary>The coordinator's status once a checkpoint completed after <paramref name="after"/>.</summary>
    private static Task<CheckpointStatus> CheckpointAfterAsync(int gateway, string clusterId, DateTimeOffset after, ChildProgram silo) =>
        WithClientAsync(gateway, clusterId, async client =>
        {
            var coordinator = client.GetGrain<ICheckpointCoordinatorGrain>(0);
            var waiting = Stopwatch.StartNew();
            while (true)
            {
                var status = await coordinator.GetStatusAsync();
                if (status.CompletedAt > after)
                {
                    return status;
                }
                silo.EnsureRunning(waiting.Elapsed, AfterCountedTimeout, "a checkpoint completed after every record was counted");
                await Task.Delay(PollInterval);
            }
        });

    /// <summary>The user grains active in the silo, as Orleans' management grain counts them.</summary>
    private static Task<long> UserActivationsAsync(int gateway, string clusterId) =>
        WithClientAsync(gateway, clusterId, async client =>
            (await client.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics())
                .Where(statistic => statistic.GrainType.Contains(typeof(UserGrain).FullName!, StringComparison.Ordinal))
                .Sum(statistic => (long)statistic.ActivationCount));

    /// <summary>Runs <paramref name="use"/> with an Orleans client connected to the silo's gateway.</summary>
    private static async Task<T> WithClientAsync<T>(int gateway, string clusterId, Func<IClusterClient, Task<T>> use)
    {
        using var host = new HostBuilder()
            .UseOrleansClient(orleans => orleans
                .UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gateway))
                .Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = clusterId;
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

    /// <summary>
    /// Waits until bronze holds as many rows as each topic has records and silver as many as there are distinct
    /// events (or the timeout passes), and says where the counts differ.
    /// </summary>
    private static async Task<List<string>> LakeMismatchesAsync(string lakeRoot, PreloadedRecords expected, ChildProgram silo)
    {
        var engine = new LakeQueryEngine(new LakeOptions { Root = lakeRoot }, PlatformTables.All);
        List<(string Table, long Rows)> wanted =
        [
            .. expected.PerTopic.Select(topic => (PlatformTables.BronzeTableOf(topic.Key), topic.Value)),
            ("silver.app_events", expected.AppEvents),
            ("silver.clickstream", expected.Clicks),
        ];
        var waiting = Stopwatch.StartNew();
        var held = new Dictionary<string, long>(StringComparer.Ordinal);
        while (waiting.Elapsed < AfterCountedTimeout && !wanted.All(want => held.GetValueOrDefault(want.Table) >= want.Rows))
        {
            silo.EnsureRunning(TimeSpan.Zero, AfterCountedTimeout, "every record in bronze and silver");
            await Task.Delay(TimeSpan.FromSeconds(1));
            foreach (var (table, _) in wanted)
            {
                try
                {
                    held[table] = (await engine.ExecuteAsync($"SELECT count(*) FROM {table}", null, CancellationToken.None)).Rows[0][0].GetInt64();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A table without a committed file yet cannot be queried: the next checkpoint commits one.
                    held[table] = 0;
                }
            }
        }
        return [.. wanted.Where(want => held.GetValueOrDefault(want.Table) != want.Rows)
            .Select(want => $"{want.Table} holds {held.GetValueOrDefault(want.Table)} rows of {want.Rows}")];
    }

    private sealed record Kpis(long TotalEvents, long ConsumerLag, long DeadLetters, long RecordsLost);
}
