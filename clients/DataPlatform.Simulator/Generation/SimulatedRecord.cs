namespace DataPlatform.Simulator.Generation;

/// <summary>One record as a producer sends it: topic, key, JSON payload, and the typed event it encodes.</summary>
public sealed record SimulatedRecord(string Topic, string Key, ReadOnlyMemory<byte> Payload, object Event);
