using DataPlatform.Lake.Catalog;

namespace DataPlatform.Api.Health;

/// <summary>
/// The figures /health needs from grains, as the <see cref="HealthMonitor"/> last fetched them: active
/// silos, the KPI grain's event count and every table's catalog entry. <see cref="RefreshedAt"/> is when
/// they were fetched; <see cref="LastError"/> why the latest refresh failed, while it keeps failing.
/// </summary>
public sealed record HealthFigures(
    int ActiveSilos,
    long TotalEvents,
    IReadOnlyList<TableCatalogEntry> Tables,
    DateTimeOffset? RefreshedAt,
    string? LastError = null)
{
    /// <summary>Nothing fetched yet.</summary>
    public static HealthFigures None { get; } = new(0, 0, [], null);
}
