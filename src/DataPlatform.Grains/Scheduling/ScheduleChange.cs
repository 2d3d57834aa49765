namespace DataPlatform.Grains.Scheduling;

/// <summary>A key scheduled for a visit at <see cref="DueAt"/>, or forgotten when it is null.</summary>
[GenerateSerializer, Immutable, Alias("dp.ScheduleChange")]
public readonly record struct ScheduleChange([property: Id(0)] string Key, [property: Id(1)] DateTimeOffset? DueAt);
