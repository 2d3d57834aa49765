using Orleans.Runtime;
using Orleans.Streams;

namespace DataPlatform.Streaming.Kafka.Providers;

/// <summary>
/// Keeps subscriptions alive when a delivery fails and tells the checkpointer, if there is one: the
/// batch's records never reached their consumer, so what follows them must not be checkpointed as done.
/// </summary>
internal sealed class KafkaDeliveryFailureHandler(KafkaPartition partition, IKafkaCheckpointer? checkpointer) : IStreamFailureHandler
{
    public bool ShouldFaultSubsriptionOnError => false;

    public Task OnDeliveryFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken)
    {
        checkpointer?.DeliveryFailed(partition, null);
        return Task.CompletedTask;
    }

    public Task OnSubscriptionFailure(GuidId subscriptionId, string streamProviderName, StreamId streamIdentity, StreamSequenceToken? sequenceToken) =>
        Task.CompletedTask;
}
