using System.Diagnostics;
using System.Net;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Serialization;
using DataPlatform.Simulator.Generation;
using DataPlatform.Simulator.Running;

namespace DataPlatform.Benchmarks.Latency;

/// <summary>
/// Probe events, one app event every 100 ms for one of a few probe users, produced beside the steady load.
/// Each probe is timed twice from the moment it is handed to the producer: until GET /users/{id} shows the
/// probe user's new event count (polled every 10 ms), and until a SignalR <c>kpis</c> push counts at least
/// every distinct user event produced up to and including the probe (the dashboard showing everything
/// produced by then).
/// </summary>
public sealed class LatencyProbes(string bootstrapServers, HttpClient silo, ProducedRecords produced) : IAsyncDisposable
{
    private const int ProbeUsers = 16;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RestPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Its own producer: the steady load's back-pressure must not delay a probe.</summary>
    private readonly KafkaRecordSink _sink = new(bootstrapServers);
    private readonly Lock _lock = new();
    private readonly Queue<(long UserEventsUpTo, long ProducedAt)> _awaitingKpis = new();
    private readonly Dictionary<string, long> _eventsPerUser = new(StringComparer.Ordinal);
    private List<double> _kpiMilliseconds = [];
    private List<double> _userMilliseconds = [];
    private int _usersMissed;
    private int _sequence;

    /// <summary>A <c>kpis</c> push arrived counting <paramref name="totalEvents"/>: every probe it covers is seen.</summary>
    public void OnKpis(long totalEvents)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            while (_awaitingKpis.TryPeek(out var probe) && probe.UserEventsUpTo <= totalEvents)
            {
                _awaitingKpis.Dequeue();
                _kpiMilliseconds.Add(Stopwatch.GetElapsedTime(probe.ProducedAt, now).TotalMilliseconds);
            }
        }
    }

    /// <summary>Probes for <paramref name="duration"/>; a probe not visible over REST within <paramref name="restTimeout"/> counts as missed.</summary>
    public async Task RunAsync(TimeSpan duration, TimeSpan restTimeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            var started = clock.Elapsed;
            await ProbeOnceAsync(restTimeout);
            var rest = started + Interval - clock.Elapsed;
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest);
            }
        }
    }

    /// <summary>
    /// The phase's latencies, SignalR <c>kpis</c> then REST, from which the next phase starts afresh; probes
    /// the KPIs have not counted yet count as missed.
    /// </summary>
    public (LatencySummary Kpis, LatencySummary Users) TakePhase()
    {
        lock (_lock)
        {
            var phase = (LatencySummary.Of(_kpiMilliseconds, _awaitingKpis.Count), LatencySummary.Of(_userMilliseconds, _usersMissed));
            (_kpiMilliseconds, _userMilliseconds, _usersMissed) = ([], [], 0);
            _awaitingKpis.Clear();
            return phase;
        }
    }

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    private async Task ProbeOnceAsync(TimeSpan restTimeout)
    {
        var sequence = _sequence++;
        var user = $"bench-probe-{sequence % ProbeUsers}";
        var expected = _eventsPerUser[user] = _eventsPerUser.GetValueOrDefault(user) + 1;
        var appEvent = new AppEvent
        {
            EventId = $"bench-probe-{Guid.NewGuid():N}",
            UserId = user,
            EventType = "page_view",
            AppType = "web",
            Timestamp = DateTimeOffset.UtcNow,
        };
        var record = new SimulatedRecord(Topics.AppEvents, user, JsonSerializer.SerializeToUtf8Bytes(appEvent, EventJsonContext.Default.AppEvent), appEvent);

        var producedAt = Stopwatch.GetTimestamp();
        await _sink.SendAsync(record, CancellationToken.None);
        var userEventsUpTo = produced.Add(record);
        lock (_lock)
        {
            _awaitingKpis.Enqueue((userEventsUpTo, producedAt));
        }

        while (await UserEventsAsync(user) < expected)
        {
            if (Stopwatch.GetElapsedTime(producedAt) > restTimeout)
            {
                lock (_lock)
                {
                    _usersMissed++;
                }
                return;
            }
            await Task.Delay(RestPoll);
        }
        var seen = Stopwatch.GetElapsedTime(producedAt).TotalMilliseconds;
        lock (_lock)
        {
            _userMilliseconds.Add(seen);
        }
    }

    /// <summary>The user's total events as GET /users/{id} answers them; 0 while the silo has seen none of them.</summary>
    private async Task<long> UserEventsAsync(string user)
    {
        using var response = await silo.GetAsync(new Uri($"/users/{user}", UriKind.Relative));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return 0;
        }
        response.EnsureSuccessStatusCode();
        using var profile = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return profile.RootElement.GetProperty("total_events").GetInt64();
    }
}
