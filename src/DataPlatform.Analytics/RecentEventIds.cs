namespace DataPlatform.Analytics;

/// <summary>
/// The last <see cref="Capacity"/> event ids applied, oldest first, so a redelivered event is recognised.
/// Bounded so that a long-lived user costs constant memory; a duplicate older than the window is counted again.
/// </summary>
[GenerateSerializer, Alias("dp.RecentEventIds")]
public sealed class RecentEventIds
{
    public const int DefaultCapacity = 1024;

    [Id(0)] private readonly Queue<string> _order = new();
    [NonSerialized] private HashSet<string>? _lookup;

    [Id(1)] public int Capacity { get; init; } = DefaultCapacity;

    public int Count => _order.Count;

    public bool Contains(string eventId) => Lookup.Contains(eventId);

    /// <summary>Adds an id; returns false when it is already in the window.</summary>
    public bool Add(string eventId)
    {
        if (!Lookup.Add(eventId))
        {
            return false;
        }
        _order.Enqueue(eventId);
        while (_order.Count > Capacity)
        {
            _lookup!.Remove(_order.Dequeue());
        }
        return true;
    }

    private HashSet<string> Lookup => _lookup ??= new HashSet<string>(_order, StringComparer.Ordinal);
}
