namespace DataPlatform.EmbeddedKafka;

/// <summary>How to start an <see cref="EmbeddedKafka"/>.</summary>
public sealed class EmbeddedKafkaOptions
{
    public const int DefaultPort = 19092;

    /// <summary>Number of brokers (ids 1..N).</summary>
    public int Brokers { get; set; } = 1;

    /// <summary>
    /// First fixed port: broker N listens on Port + N − 1 and the bootstrap address is 127.0.0.1:Port.
    /// 0 keeps the mock's random ports (tests).
    /// </summary>
    public int Port { get; set; }

    /// <summary>Topics to create at start, with their partition counts.</summary>
    public IDictionary<string, int> Topics { get; } = new Dictionary<string, int>(StringComparer.Ordinal);
}
