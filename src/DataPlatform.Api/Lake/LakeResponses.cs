using System.Text.Json;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Tables;

namespace DataPlatform.Api.Lake;

/// <summary>A row of GET /tables.</summary>
public sealed record TableSummary(
    string Name, string Layer, string Description, string Owner, long RowCount, int FileCount, long SizeBytes, long Version, DateTimeOffset? LastUpdated)
{
    public static TableSummary Of(TableCatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var table = entry.Definition;
        return new(table.Name, table.Layer, table.Description, table.Owner, entry.RowCount, entry.FileCount, entry.SizeBytes, entry.Version, entry.LastUpdated);
    }
}

/// <summary>A column as GET /tables/{name} describes it.</summary>
public sealed record ColumnDescription(string Name, string Type, bool Nullable, string Description, bool Pii);

/// <summary>Quality figures of a table: its latest write and its recent writes together.</summary>
public sealed record TableQuality(CommitQuality? Latest, CommitQuality? Recent);

/// <summary>The answer of GET /tables/{name}.</summary>
public sealed record TableDetail(
    string Name,
    string Layer,
    string Description,
    string Owner,
    string Mode,
    long Version,
    long RowCount,
    int FileCount,
    long SizeBytes,
    DateTimeOffset? LastUpdated,
    string? LastOperation,
    IReadOnlyList<ColumnDescription> Schema,
    IReadOnlyList<string> PartitionColumns,
    IReadOnlyList<PartitionInfo> Partitions,
    IReadOnlyList<string> KeyColumns,
    int? RetentionDays,
    IReadOnlyList<string> Upstream,
    IReadOnlyList<string> Downstream,
    TableQuality Quality);

/// <summary>Columns and rows (GET /tables/{name}/preview).</summary>
public sealed record TablePreview(string Name, long Version, IReadOnlyList<DataPlatform.Lake.Sql.QueryColumn> Columns, IReadOnlyList<JsonElement> Rows);

/// <summary>The body of POST /query.</summary>
public sealed record QueryRequest(string? Sql, int? Limit);

/// <summary>The answer of POST /query: each row is a JSON array of the values in their JSON forms (docs/lake.md).</summary>
public sealed record QueryResponse(IReadOnlyList<DataPlatform.Lake.Sql.QueryColumn> Columns, IReadOnlyList<JsonElement> Rows, int RowCount, bool Truncated, long ElapsedMs);

/// <summary>A layer's totals in the catalog report.</summary>
public sealed record LayerSummary(string Layer, int Tables, long RowCount, long SizeBytes, DateTimeOffset? LastUpdated);

/// <summary>The answer of GET /catalog.</summary>
public sealed record CatalogReport(DateTimeOffset GeneratedAt, IReadOnlyList<LayerSummary> Layers, IReadOnlyList<TableDetail> Tables);

/// <summary>The answer of GET /catalog/lineage/{name}: direct and transitive neighbours.</summary>
public sealed record LineageReport(string Name, IReadOnlyList<string> Upstream, IReadOnlyList<string> Downstream, IReadOnlyList<string> AllUpstream, IReadOnlyList<string> AllDownstream);

/// <summary>A commit as GET /tables/{name}/history lists it.</summary>
public sealed record CommitSummary(long Version, DateTimeOffset Timestamp, string Operation, int FilesAdded, int FilesRemoved, long RowsAdded, long RowsRemoved, CommitQuality? Quality)
{
    public static CommitSummary Of(CommitRecord commit)
    {
        ArgumentNullException.ThrowIfNull(commit);
        return new(commit.Version, commit.Timestamp, commit.Operation, commit.FilesAdded, commit.FilesRemoved, commit.RowsAdded, commit.RowsRemoved, commit.Quality);
    }
}
