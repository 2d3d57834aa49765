using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// Spreads the topic-partition queues evenly over the active silos (loads differ by at most one), with
/// <see cref="QueueAssignment"/>: every silo computes the same assignment from the same membership. When a
/// silo joins or leaves, every silo recomputes its share at once; only the queues whose owner changes move
/// (the leaving silo's, or the joining silo's share), so the others keep being read. A queue that moves is
/// released by its old owner, which stores its delivered offset, and resumed by the new owner from the
/// committed offset.
/// </summary>
public sealed partial class EvenQueueBalancer(IServiceProvider services, ILogger<EvenQueueBalancer> logger)
    : QueueBalancerBase(services, logger)
{
    private List<QueueId> _queues = [];
    private List<string> _queueNames = [];
    private volatile List<QueueId> _myQueues = [];

    /// <inheritdoc />
    public override Task Initialize(IStreamQueueMapper queueMapper)
    {
        ArgumentNullException.ThrowIfNull(queueMapper);
        _queues = [.. queueMapper.GetAllQueues()
            .OrderBy(queue => queue.GetStringNamePrefix(), StringComparer.Ordinal)
            .ThenBy(queue => queue.GetNumericId())];
        _queueNames = [.. _queues.Select(queue => $"{queue.GetStringNamePrefix()}-{queue.GetNumericId()}")];
        return base.Initialize(queueMapper);
    }

    /// <inheritdoc />
    public override IEnumerable<QueueId> GetMyQueues() => _myQueues;

    /// <inheritdoc />
    protected override void OnClusterMembershipChange(HashSet<SiloAddress> activeSilos)
    {
        var silos = activeSilos.Select(silo => silo.ToParsableString()).Order(StringComparer.Ordinal).ToList();
        var me = silos.IndexOf(SiloAddress.ToParsableString());
        var owners = QueueAssignment.Assign(_queueNames, silos);
        _myQueues = me < 0 ? [] : [.. _queues.Where((_, position) => owners[position] == me)];
        LogMembership(Logger, silos.Count, _myQueues.Count);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebalancing Kafka queues over {Silos} active silo(s): this silo reads {Queues}")]
    private static partial void LogMembership(ILogger logger, int silos, int queues);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying the pulling agents of a rebalance failed")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);
}
