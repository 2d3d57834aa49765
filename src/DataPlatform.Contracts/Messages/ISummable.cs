namespace DataPlatform.Contracts.Messages;

/// <summary>Figures that add up (counts and sums, possibly negative changes): what deltas are made of.</summary>
public interface ISummable<T> where T : ISummable<T>
{
    T Plus(T other);
}

public static class SummableFigures
{
    /// <summary>Adds <paramref name="change"/> to the figures kept under <paramref name="key"/>.</summary>
    public static void Accumulate<TKey, T>(this Dictionary<TKey, T> figures, TKey key, T change)
        where TKey : notnull
        where T : ISummable<T>
    {
        ArgumentNullException.ThrowIfNull(figures);
        figures[key] = figures.TryGetValue(key, out var known) ? known.Plus(change) : change;
    }

    /// <summary>Adds every entry of <paramref name="changes"/>.</summary>
    public static void AccumulateAll<TKey, T>(this Dictionary<TKey, T> figures, IReadOnlyDictionary<TKey, T> changes)
        where TKey : notnull
        where T : ISummable<T>
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var (key, change) in changes)
        {
            figures.Accumulate(key, change);
        }
    }

    /// <summary>
    /// What each key of <paramref name="changes"/> would hold after adding it, computed without changing
    /// <paramref name="figures"/>: a sum that cannot be held (a decimal overflow) throws here, before
    /// anything changed. <see cref="SetAll"/> then stores them.
    /// </summary>
    public static List<KeyValuePair<TKey, T>> SumsWith<TKey, T>(this Dictionary<TKey, T> figures, IReadOnlyDictionary<TKey, T> changes)
        where TKey : notnull
        where T : ISummable<T>
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(changes);
        return [.. changes.Select(change => KeyValuePair.Create(
            change.Key, figures.TryGetValue(change.Key, out var known) ? known.Plus(change.Value) : change.Value))];
    }

    /// <summary>Stores figures computed by <see cref="SumsWith"/>.</summary>
    public static void SetAll<TKey, T>(this Dictionary<TKey, T> figures, List<KeyValuePair<TKey, T>> sums)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(figures);
        ArgumentNullException.ThrowIfNull(sums);
        foreach (var (key, sum) in sums)
        {
            figures[key] = sum;
        }
    }
}
