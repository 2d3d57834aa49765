namespace DataPlatform.Grains.Ingestion;

/// <summary>A record rejected at the edge, with its stable reason code and its raw payload.</summary>
public sealed record DeadLetter(string Topic, string? Key, string Reason, ReadOnlyMemory<byte> Payload, DateTimeOffset RejectedAt);
