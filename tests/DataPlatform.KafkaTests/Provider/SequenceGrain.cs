using System.Globalization;
using System.Text;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace DataPlatform.KafkaTests.Provider;

public interface ISequenceGrain : IGrainWithStringKey
{
    Task<int> PingAsync();
}

/// <summary>
/// Receives "sequence" stream events (the text of a number) and writes every delivery to
/// <see cref="DeliveryLog"/>, which lives outside the silos so it survives a silo that stops.
/// </summary>
[ImplicitStreamSubscription(SequenceGrain.Namespace)]
public sealed class SequenceGrain : Grain, ISequenceGrain, IStreamSubscriptionObserver
{
    public const string Namespace = "sequence";

    public Task<int> PingAsync() => Task.FromResult(1);

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        var key = this.GetPrimaryKeyString();
        var silo = RuntimeIdentity;
        await handleFactory.Create<byte[]>().ResumeAsync((payload, _) =>
        {
            DeliveryLog.Record(key, long.Parse(Encoding.UTF8.GetString(payload), CultureInfo.InvariantCulture), silo);
            return Task.CompletedTask;
        });
    }
}
