namespace DataPlatform.Analytics.Star;

/// <summary>
/// Builds a customer's versions from the history of its source row and the history of its segment. A new version
/// starts when a tracked attribute (city, state, postal code, country) or the segment changes while the customer
/// exists; a delete closes the current version and a later create starts a new one. The segment of a date is the
/// one the user grain evaluated for that whole UTC date (it changes at midnight); before the user's first event it
/// is null. Only the customer's analytic attributes are kept: its PII stays in silver.customers.
/// </summary>
public static class CustomerVersions
{
    public static readonly IReadOnlyList<string> TrackedColumns = ["city", "state", "postal_code", "country"];

    /// <param name="customerId">The customer.</param>
    /// <param name="history">The changes of its row in gold.</param>
    /// <param name="segments">The dates its segment became each value (the first entry is the user's first date).</param>
    public static IReadOnlyList<CustomerVersion> Of(string customerId, RowHistory history, IReadOnlyDictionary<DateOnly, string> segments)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(segments);
        var rowStates = history.States().ToList();
        var segmentStarts = segments.Keys.Select(date => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var instants = rowStates.Select(state => state.At).Concat(segmentStarts).Distinct().Order().ToList();

        var versions = new List<CustomerVersion>();
        CustomerVersion? open = null;
        var rowIndex = -1;
        foreach (var at in instants)
        {
            while (rowIndex + 1 < rowStates.Count && rowStates[rowIndex + 1].At <= at)
            {
                rowIndex++;
            }
            var row = rowIndex >= 0 ? rowStates[rowIndex] : null;
            if (row is null || row.Deleted)
            {
                if (open is not null)
                {
                    versions.Add(open with { ValidTo = at });
                    open = null;
                }
                continue;
            }
            var segment = SegmentOn(segments, DateOnly.FromDateTime(at.UtcDateTime));
            var now = new CustomerVersion(customerId, versions.Count + 1, row["city"], row["state"], row["postal_code"], row["country"], segment, at, null);
            if (open is not null && SameAttributes(open, now))
            {
                continue;
            }
            if (open is not null)
            {
                versions.Add(open with { ValidTo = at });
                now = now with { Version = versions.Count + 1 };
            }
            open = now;
        }
        if (open is not null)
        {
            versions.Add(open);
        }
        return versions;
    }

    private static string? SegmentOn(IReadOnlyDictionary<DateOnly, string> segments, DateOnly date)
    {
        string? segment = null;
        var since = DateOnly.MinValue;
        foreach (var (start, value) in segments)
        {
            if (start <= date && start >= since)
            {
                (since, segment) = (start, value);
            }
        }
        return segment;
    }

    private static bool SameAttributes(CustomerVersion a, CustomerVersion b) =>
        a.City == b.City && a.State == b.State && a.PostalCode == b.PostalCode && a.Country == b.Country && a.Segment == b.Segment;
}
