using System.Text;
using Confluent.Kafka;
using DataPlatform.Simulator.Generation;

namespace DataPlatform.Simulator.Running;

/// <summary>
/// Produces records to Kafka (key = record key, value = JSON) with up to <see cref="MaxInFlight"/>
/// deliveries outstanding; <see cref="SendAsync"/> waits when that many are unconfirmed, so a slow
/// cluster slows the simulator down instead of losing records. Failed deliveries are counted.
/// </summary>
public sealed class KafkaRecordSink : IRecordSink, IAsyncDisposable
{
    public const int MaxInFlight = 10_000;

    private readonly IProducer<byte[], byte[]> _producer;
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight, MaxInFlight);
    private long _delivered;
    private long _failed;

    public KafkaRecordSink(string bootstrapServers, IReadOnlyDictionary<string, string>? settings = null)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            CompressionType = CompressionType.Lz4,
            ClientId = "dataplatform-simulator",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            config.Set(key, value);
        }
        _producer = new ProducerBuilder<byte[], byte[]>(config).Build();
    }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>The reason of the most recent failed delivery, if any.</summary>
    public string? LastError { get; private set; }

    public async ValueTask SendAsync(SimulatedRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await _inFlight.WaitAsync(cancellationToken);
        var message = new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes(record.Key), Value = record.Payload.ToArray() };
        try
        {
            _producer.Produce(record.Topic, message, OnDelivered);
        }
        catch
        {
            _inFlight.Release();
            throw;
        }
    }

    /// <summary>Waits until every record sent so far is confirmed or failed.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) =>
        Task.Run(() => _producer.Flush(cancellationToken), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Task.Run(() => _producer.Flush(TimeSpan.FromSeconds(30)));
        _producer.Dispose();
        _inFlight.Dispose();
    }

    private void OnDelivered(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Error.IsError)
        {
            Interlocked.Increment(ref _failed);
            LastError = report.Error.Reason;
        }
        else
        {
            Interlocked.Increment(ref _delivered);
        }
        _inFlight.Release();
    }
}
