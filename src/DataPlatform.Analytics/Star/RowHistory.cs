using DataPlatform.Contracts.Events;

namespace DataPlatform.Analytics.Star;

/// <summary>
/// Every change of one source row, in source time (ts_ms) order whatever order they arrived in, so the row's
/// state at any time can be replayed: an update merges its columns over the state before it, a delete ends the
/// row (its columns stay known), a create after a delete starts it again. Changes with the same ts_ms keep their
/// arrival order (a key's changes arrive in the order of its Kafka partition); a change sent twice is kept once.
/// </summary>
[GenerateSerializer, Alias("dp.RowHistory")]
public sealed class RowHistory
{
    [Id(0)] private readonly List<RowChange> _changes = [];

    public int Count => _changes.Count;

    /// <summary>Records a change in its place; false when the same change is already recorded.</summary>
    public bool Add(CdcChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var recorded = RowChange.Of(change);
        if (_changes.Any(known => known.SameAs(recorded)))
        {
            return false;
        }
        var place = _changes.FindLastIndex(known => known.TsMs <= recorded.TsMs) + 1;
        _changes.Insert(place, recorded);
        return true;
    }

    /// <summary>The row's state after each change, oldest first.</summary>
    public IEnumerable<RowState> States()
    {
        var columns = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var change in _changes)
        {
            if (change.Deleted)
            {
                foreach (var (column, value) in change.Image)
                {
                    columns.TryAdd(column, value);
                }
            }
            else
            {
                foreach (var (column, value) in change.Image)
                {
                    columns[column] = value;
                }
            }
            yield return new RowState(DateTimeOffset.FromUnixTimeMilliseconds(change.TsMs), change.Deleted, new Dictionary<string, string?>(columns, StringComparer.Ordinal));
        }
    }

    /// <summary>The state after the newest change, or null before any.</summary>
    public RowState? Latest => States().LastOrDefault();

    /// <summary>The state in force at <paramref name="at"/> (after the newest change at or before it), or null when none was.</summary>
    public RowState? At(DateTimeOffset at) => States().TakeWhile(state => state.At <= at).LastOrDefault();

    /// <summary>The state after the oldest change, or null before any.</summary>
    public RowState? Earliest => States().FirstOrDefault();
}
