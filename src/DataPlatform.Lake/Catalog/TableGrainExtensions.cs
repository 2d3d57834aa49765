using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Catalog;

/// <summary>Reads the catalog entries of many tables at once.</summary>
public static class TableGrainExtensions
{
    /// <summary>The catalog entries of <paramref name="tables"/>, in their order, asked of their grains in parallel.</summary>
    public static Task<TableCatalogEntry[]> GetCatalogEntriesAsync(this IGrainFactory grains, IEnumerable<TableDefinition> tables)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(tables);
        return Task.WhenAll(tables.Select(table => grains.GetGrain<ITableGrain>(table.Name).GetCatalogEntryAsync()));
    }
}
