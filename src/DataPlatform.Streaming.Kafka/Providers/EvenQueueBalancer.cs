using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// Spreads the topic-partition queues evenly over the active silos: queues and silos are sorted the
/// same way on every silo, and queue i belongs to silo i mod N. When a silo joins or leaves, every silo
/// recomputes its share at once; a queue that moves is released by its old owner, which stores its
/// delivered offset, and resumed by the new owner from the committed offset.
/// </summary>
public sealed partial class EvenQueueBalancer(IServiceProvider services, ILogger<EvenQueueBalancer> logger)
    : QueueBalancerBase(services, logger)
{
    private readonly Lock _gate = new();
    private List<QueueId> _queues = [];
    private List<SiloAddress> _activeSilos = [];

    /// <inheritdoc />
    public override Task Initialize(IStreamQueueMapper queueMapper)
    {
        ArgumentNullException.ThrowIfNull(queueMapper);
        _queues = [.. queueMapper.GetAllQueues()
            .OrderBy(queue => queue.GetStringNamePrefix(), StringComparer.Ordinal)
            .ThenBy(queue => queue.GetNumericId())];
        return base.Initialize(queueMapper);
    }

    /// <inheritdoc />
    public override IEnumerable<QueueId> GetMyQueues()
    {
        List<SiloAddress> silos;
        lock (_gate)
        {
            silos = _activeSilos;
        }
        var index = silos.IndexOf(SiloAddress);
        if (index < 0)
        {
            return [];
        }
        return _queues.Where((_, position) => position % silos.Count == index).ToList();
    }

    /// <inheritdoc />
    protected override void OnClusterMembershipChange(HashSet<SiloAddress> activeSilos)
    {
        var ordered = activeSilos.OrderBy(silo => silo.ToParsableString(), StringComparer.Ordinal).ToList();
        lock (_gate)
        {
            _activeSilos = ordered;
        }
        LogMembership(Logger, ordered.Count);
        _ = NotifyAsync();
    }

    private async Task NotifyAsync()
    {
        try
        {
            await NotifyListeners();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogNotifyFailed(Logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebalancing Kafka queues over {Silos} active silo(s)")]
    private static partial void LogMembership(ILogger logger, int silos);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying the pulling agents of a rebalance failed")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);
}
