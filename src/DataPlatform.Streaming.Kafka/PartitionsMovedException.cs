namespace DataPlatform.Streaming.Kafka;

/// <summary>
/// A partition came to this silo or left it since the last rewind: the positions of this silo's partitions do not
/// cover what grain state holds until the cluster goes back to a checkpoint.
/// </summary>
public sealed class PartitionsMovedException() : InvalidOperationException("Kafka partitions changed owner since the last roll-back; positions are known again after the next one.");
