using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using DataPlatform.EmbeddedKafka.Native;

namespace DataPlatform.EmbeddedKafka;

/// <summary>
/// A Kafka cluster inside this process: librdkafka's mock cluster, which speaks the real Kafka wire
/// protocol over TCP, so any Kafka client (Confluent.Kafka, kcat, another process) can use it.
/// Data lives in memory and is gone when the instance is disposed. Each partition keeps about 5 MiB or
/// 100,000 batches; older records are dropped silently, so use enough partitions (or lz4) for long runs.
/// </summary>
public sealed class EmbeddedKafka : IAsyncDisposable
{
    private const int ErrorTextSize = 512;
    private readonly nint _handle;
    private readonly nint _cluster;
    private readonly List<TcpForwarder> _forwarders = [];
    private readonly Lock _gate = new();
    private bool _disposed;

    private EmbeddedKafka(nint handle, nint cluster, int brokers)
    {
        _handle = handle;
        _cluster = cluster;
        BrokerIds = [.. Enumerable.Range(1, brokers)];
        BootstrapServers = Marshal.PtrToStringUTF8(MockCluster.ClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("The mock cluster reported no bootstrap address.");
    }

    /// <summary>The address clients connect to, e.g. "127.0.0.1:19092".</summary>
    public string BootstrapServers { get; private set; }

    public IReadOnlyList<int> BrokerIds { get; }

    /// <summary>Starts a cluster, binds the fixed ports when asked to, and creates the listed topics.</summary>
    public static EmbeddedKafka Start(EmbeddedKafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Brokers, 1);
        var handle = CreateHostHandle();
        var cluster = MockCluster.ClusterNew(handle, options.Brokers);
        if (cluster == 0)
        {
            MockCluster.KafkaDestroy(handle);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed.");
        }

        var kafka = new EmbeddedKafka(handle, cluster, options.Brokers);
        try
        {
            if (options.Port != 0)
            {
                kafka.BindFixedPorts(options.Port);
            }
            foreach (var (topic, partitions) in options.Topics)
            {
                kafka.CreateTopic(topic, partitions);
            }
            return kafka;
        }
        catch
        {
            kafka.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>Creates a topic (replication factor capped at the number of brokers).</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        Check(MockCluster.TopicCreate(_cluster, topic, partitions, Math.Min(replicationFactor, BrokerIds.Count)),
            $"create topic {topic}");
    }

    /// <summary>Takes a broker down: its connections drop and new ones are refused until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId) => Check(MockCluster.BrokerSetDown(_cluster, brokerId), $"set broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(MockCluster.BrokerSetUp(_cluster, brokerId), $"set broker {brokerId} up");

    /// <summary>Adds latency to every response of a broker.</summary>
    public void SetRoundTripTime(int brokerId, TimeSpan rtt) =>
        Check(MockCluster.BrokerSetRtt(_cluster, brokerId, (int)rtt.TotalMilliseconds), $"set broker {brokerId} rtt");

    /// <summary>Moves the leadership of a partition to another broker.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId) =>
        Check(MockCluster.PartitionSetLeader(_cluster, topic, partition, brokerId), $"move leader of {topic}/{partition}");

    /// <summary>Makes the next requests of one API (e.g. 0 = Produce, 1 = Fetch) fail with these errors, in order.</summary>
    public unsafe void PushRequestErrors(short apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var codes = errors.Select(error => (int)error).ToArray();
        fixed (int* pointer = codes)
        {
            MockCluster.PushRequestErrors(_cluster, apiKey, (nuint)codes.Length, pointer);
        }
    }

    /// <summary>How long a new consumer group waits for more members before its first rebalance.</summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay) =>
        MockCluster.GroupInitialRebalanceDelay(_cluster, (int)delay.TotalMilliseconds);

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
        }
        foreach (var forwarder in _forwarders)
        {
            await forwarder.DisposeAsync();
        }
        MockCluster.ClusterDestroy(_cluster);
        MockCluster.KafkaDestroy(_handle);
    }

    // The handle only hosts the mock cluster; it never produces.
    private static unsafe nint CreateHostHandle()
    {
        var errorText = stackalloc byte[ErrorTextSize];
        var conf = MockCluster.ConfNew();
        MockCluster.ConfSet(conf, "log_level", "3", errorText, ErrorTextSize);
        var handle = MockCluster.KafkaNew(MockCluster.ProducerType, conf, errorText, ErrorTextSize);
        return handle != 0
            ? handle
            : throw new InvalidOperationException($"rd_kafka_new failed: {Marshal.PtrToStringUTF8((nint)errorText)}");
    }

    private void BindFixedPorts(int basePort)
    {
        var actual = BrokerEndpoints();
        foreach (var brokerId in BrokerIds)
        {
            var forwarder = new TcpForwarder(IPAddress.Loopback, basePort + brokerId - 1, actual[brokerId]);
            _forwarders.Add(forwarder);
            Check(MockCluster.BrokerSetHostPort(_cluster, brokerId, "127.0.0.1", forwarder.Port), $"advertise broker {brokerId}");
        }
        BootstrapServers = string.Join(',', _forwarders.Select(f => $"127.0.0.1:{f.Port.ToString(CultureInfo.InvariantCulture)}"));
    }

    // The random port of each broker id, as the cluster itself reports it.
    private Dictionary<int, IPEndPoint> BrokerEndpoints()
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = BootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        return metadata.Brokers.ToDictionary(
            broker => broker.BrokerId,
            broker => new IPEndPoint(IPAddress.Parse(broker.Host), broker.Port));
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"Embedded Kafka could not {what}: {(ErrorCode)error}");
        }
    }
}
