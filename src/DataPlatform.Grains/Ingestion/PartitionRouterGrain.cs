using DataPlatform.Contracts.Events;
using DataPlatform.Grains.Cdc;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Erasure;
using DataPlatform.Grains.Users;
using DataPlatform.Streaming.Kafka;
using Orleans.Placement;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace DataPlatform.Grains.Ingestion;

/// <summary>Marks the router's grain type; it has no calls of its own.</summary>
[Alias("dp.IPartitionRouterGrain")]
public interface IPartitionRouterGrain : IGrainWithStringKey;

/// <summary>
/// Hands the records of a stream to the grains they are about. The Kafka provider delivers each poll of a
/// topic-partition as one batch on the partition's stream (<see cref="PartitionStreamIdMapper"/>); the router
/// groups it by record key (user id, "table:primary key") and calls each grain once with all its records, in
/// offset order. The delivery ends only when every grain has applied its records, so a checkpoint that waits
/// for deliveries waits for those calls; a grain that fails fails the delivery, and with it asks for a
/// roll-back. It holds no state. Streams keyed by record (a producer inside the cluster) get one router per key.
/// Records of an erased user are dropped and counted here (<see cref="ErasureRegister"/>).
/// </summary>
[ImplicitStreamSubscription(StreamNamespaces.AppEvents)]
[ImplicitStreamSubscription(StreamNamespaces.Clickstream)]
[ImplicitStreamSubscription(StreamNamespaces.Users)]
[ImplicitStreamSubscription(StreamNamespaces.CdcChanges)]
[PreferLocalPlacement]
public sealed class PartitionRouterGrain(CheckpointProgress progress, ErasureRegister erasures, KpiAccumulator kpis)
    : Grain, IPartitionRouterGrain, IStreamSubscriptionObserver
{
    public Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        ArgumentNullException.ThrowIfNull(handleFactory);
        return handleFactory.StreamId.GetNamespace() switch
        {
            StreamNamespaces.AppEvents => Route<AppEvent>(handleFactory, (key, records) => User(key).ApplyAppEventsAsync(records)),
            StreamNamespaces.Clickstream => Route<ClickstreamEvent>(handleFactory, (key, records) => User(key).ApplyClickstreamAsync(records)),
            StreamNamespaces.Users => Route<UserProfileEvent>(handleFactory, (key, records) => User(key).ApplyProfilesAsync(records)),
            StreamNamespaces.CdcChanges => Route<CdcChange>(handleFactory, (key, changes) => GrainFactory.GetGrain<ICdcRowRecordsGrain>(key).ApplyChangesAsync(changes)),
            _ => Task.CompletedTask,
        };
    }

    private IUserRecordsGrain User(string userId) => GrainFactory.GetGrain<IUserRecordsGrain>(userId);

    private Task<StreamSubscriptionHandle<T>> Route<T>(IStreamSubscriptionHandleFactory handleFactory, Func<string, RoutedRecords<T>, Task> deliver)
        where T : notnull =>
        handleFactory.Create<T>().ResumeAsync(new RoutingObserver<T>(progress, erasures, kpis, deliver));

    private sealed class RoutingObserver<T>(CheckpointProgress progress, ErasureRegister erasures, KpiAccumulator kpis, Func<string, RoutedRecords<T>, Task> deliver)
        : IAsyncBatchObserver<T>
        where T : notnull
    {
        public Task OnNextAsync(IList<SequentialItem<T>> items) => RouteAsync(items);

        public Task OnNextAsync(T item, StreamSequenceToken? token = null) =>
            RouteAsync([new SequentialItem<T>(item, token!)]);

        public Task OnCompletedAsync() => Task.CompletedTask;

        // Errors of the stream provider are logged by the pulling agent; the subscription stays alive.
        public Task OnErrorAsync(Exception ex) => Task.CompletedTask;

        private Task RouteAsync(IList<SequentialItem<T>> items)
        {
            // A delivery is one batch container's records: they were all read in the same generation.
            var generation = items.Count > 0 ? (items[0].Token as KafkaSourcePosition)?.ReadingGeneration : null;
            if (items.Count == 0 || progress.IsStale(generation))
            {
                // Read again from the checkpoint; each grain would drop it too.
                return Task.CompletedTask;
            }
            var byKey = new Dictionary<string, (List<T> Records, List<KafkaSourcePosition?> Positions)>(StringComparer.Ordinal);
            var erased = 0;
            foreach (var item in items)
            {
                if (erasures.IsAboutErasedUser(item.Item))
                {
                    erased++;
                    continue;
                }
                var key = RecordKeys.StreamKeyOf(item.Item);
                if (!byKey.TryGetValue(key, out var group))
                {
                    group = ([], []);
                    byKey[key] = group;
                }
                group.Records.Add(item.Item);
                group.Positions.Add(item.Token as KafkaSourcePosition);
            }
            if (erased > 0)
            {
                kpis.RecordErasedUserRecords(erased);
            }
            var calls = new Task[byKey.Count];
            var index = 0;
            foreach (var (key, (records, positions)) in byKey)
            {
                calls[index++] = deliver(key, new RoutedRecords<T>(records, positions, generation));
            }
            return Task.WhenAll(calls);
        }
    }
}
