namespace DataPlatform.Simulator.Generation;

/// <summary>
/// One record as a producer sends it: topic, key and JSON payload, with the typed event it encodes, or
/// (for a deliberately malformed record) no event and the dead-letter reason the edge must give it.
/// </summary>
public sealed record SimulatedRecord(string Topic, string Key, ReadOnlyMemory<byte> Payload, object? Event, string? ExpectedReason = null)
{
    public bool IsMalformed => ExpectedReason is not null;
}
