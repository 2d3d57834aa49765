using DataPlatform.Contracts.Events;

namespace DataPlatform.Analytics.Star;

/// <summary>One change as the history keeps it: when, whether it deleted the row, and the columns it carried.</summary>
[GenerateSerializer, Immutable, Alias("dp.RowChange")]
public sealed record RowChange(
    [property: Id(0)] long TsMs,
    [property: Id(1)] bool Deleted,
    [property: Id(2)] Dictionary<string, string?> Image)
{
    public static RowChange Of(CdcChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var image = (change.Op == "d" ? change.Before : change.After) ?? new Dictionary<string, string?>();
        return new RowChange(change.TsMs, change.Op == "d", new Dictionary<string, string?>(image, StringComparer.Ordinal));
    }

    public bool SameAs(RowChange other) =>
        other is not null && TsMs == other.TsMs && Deleted == other.Deleted
        && Image.Count == other.Image.Count && Image.All(column => other.Image.TryGetValue(column.Key, out var value) && value == column.Value);
}
