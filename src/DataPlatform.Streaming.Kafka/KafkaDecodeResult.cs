namespace DataPlatform.Streaming.Kafka;

/// <summary>What a decoder made of a record: an event for the stream, or a dead-letter reason.</summary>
public readonly record struct KafkaDecodeResult
{
    private KafkaDecodeResult(object? payload, string? reason)
    {
        Payload = payload;
        Reason = reason;
    }

    /// <summary>The event delivered on the stream (must be serializable by Orleans).</summary>
    public object? Payload { get; }

    /// <summary>A stable reason code when the record is rejected.</summary>
    public string? Reason { get; }

    /// <summary>True when the record becomes a stream event.</summary>
    public bool IsAccepted => Reason is null;

    /// <summary>The record becomes this event.</summary>
    public static KafkaDecodeResult Accept(object payload) =>
        new(payload ?? throw new ArgumentNullException(nameof(payload)), null);

    /// <summary>The record goes to the dead letters with this reason code.</summary>
    public static KafkaDecodeResult Reject(string reason) =>
        new(null, string.IsNullOrEmpty(reason) ? throw new ArgumentException("A reason is required.", nameof(reason)) : reason);
}
