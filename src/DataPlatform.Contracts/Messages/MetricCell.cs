namespace DataPlatform.Contracts.Messages;

/// <summary>
/// The figures of one tumbling window for one (event_type, app_type): events, distinct users, and the
/// count, sum, minimum and maximum of the events' values.
/// </summary>
[GenerateSerializer, Alias("dp.MetricCell")]
public sealed class MetricCell
{
    [Id(0)] public long Events { get; private set; }
    [Id(1)] public long UniqueUsers { get; private set; }
    [Id(2)] public long ValueCount { get; private set; }
    [Id(3)] public double ValueSum { get; private set; }
    [Id(4)] public double? ValueMin { get; private set; }
    [Id(5)] public double? ValueMax { get; private set; }

    /// <summary>The average value of the events that carry one, or null.</summary>
    public double? ValueAvg => ValueCount == 0 ? null : ValueSum / ValueCount;

    /// <summary>Adds one event; <paramref name="newUser"/> when it is its user's first in this window and cell.</summary>
    public void Add(double? value, bool newUser)
    {
        Events++;
        if (newUser)
        {
            UniqueUsers++;
        }
        if (value is { } number)
        {
            ValueCount++;
            ValueSum += number;
            ValueMin = ValueMin is { } min ? Math.Min(min, number) : number;
            ValueMax = ValueMax is { } max ? Math.Max(max, number) : number;
        }
    }

    /// <summary>Adds another cell of the same window (users are disjoint: each counted once by its own grain).</summary>
    public void Merge(MetricCell other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Events += other.Events;
        UniqueUsers += other.UniqueUsers;
        ValueCount += other.ValueCount;
        ValueSum += other.ValueSum;
        if (other.ValueMin is { } otherMin)
        {
            ValueMin = ValueMin is { } min ? Math.Min(min, otherMin) : otherMin;
        }
        if (other.ValueMax is { } otherMax)
        {
            ValueMax = ValueMax is { } max ? Math.Max(max, otherMax) : otherMax;
        }
    }

    public MetricCell Copy()
    {
        var copy = new MetricCell();
        copy.Merge(this);
        return copy;
    }
}

/// <summary>A tumbling window (its start, in Unix seconds) for one event type and app type.</summary>
[GenerateSerializer, Immutable, Alias("dp.WindowKey")]
public readonly record struct WindowKey(
    [property: Id(0)] long Start,
    [property: Id(1)] string EventType,
    [property: Id(2)] string AppType);
