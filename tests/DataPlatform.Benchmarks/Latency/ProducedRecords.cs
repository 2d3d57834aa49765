using System.Diagnostics;
using DataPlatform.Benchmarks.Ingest;
using DataPlatform.Contracts.Events;
using DataPlatform.Simulator.Generation;

namespace DataPlatform.Benchmarks.Latency;

/// <summary>
/// What has been handed to Kafka so far during a latency run, and so what the grid must count: records per
/// topic (bronze) and distinct app and clickstream events (the KPI total, silver). Shared by the steady load
/// and the probes, which produce at the same time.
/// </summary>
public sealed class ProducedRecords
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _producing = Stopwatch.StartNew();
    private readonly HashSet<string> _userEvents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _perTopic = Topics.All.ToDictionary(topic => topic, _ => 0L, StringComparer.Ordinal);
    private long _appEvents;
    private long _clicks;
    private int _records;

    /// <summary>Distinct user events produced so far.</summary>
    public long UserEvents
    {
        get
        {
            lock (_lock)
            {
                return _userEvents.Count;
            }
        }
    }

    /// <summary>Counts a record handed to the producer; the distinct user events produced so far, this one included.</summary>
    public long Add(SimulatedRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_lock)
        {
            _records++;
            _perTopic[record.Topic]++;
            var (eventId, isApp) = record.Event switch
            {
                AppEvent e => (e.EventId, true),
                ClickstreamEvent e => (e.EventId, false),
                _ => (null, false),
            };
            if (eventId is not null && _userEvents.Add(eventId))
            {
                if (isApp)
                {
                    _appEvents++;
                }
                else
                {
                    _clicks++;
                }
            }
            return _userEvents.Count;
        }
    }

    /// <summary>What the lake and the KPIs must hold once everything produced so far is taken in.</summary>
    public PreloadedRecords Expected()
    {
        lock (_lock)
        {
            return new PreloadedRecords(_records, _userEvents.Count, _appEvents, _clicks,
                new Dictionary<string, long>(_perTopic, StringComparer.Ordinal), _producing.Elapsed.TotalSeconds);
        }
    }
}
