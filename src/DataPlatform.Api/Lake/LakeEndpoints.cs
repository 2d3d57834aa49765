using DataPlatform.Api.Endpoints;
using DataPlatform.Api.Security;
using DataPlatform.Contracts.Telemetry;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Schema;
using DataPlatform.Lake.Sql;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Lake;

/// <summary>The lake over REST: tables, their catalog entries, previews, history, lineage and read-only SQL (ARCHITECTURE.md §7).</summary>
public static class LakeEndpoints
{
    public const int DefaultPreviewRows = 20;
    public const int MaxPreviewRows = 1000;
    public const int DefaultHistoryCommits = 50;
    public const int MaxHistoryCommits = 200;
    public const int QueryRetryAfterSeconds = 1;
    private static readonly string[] Layers = ["bronze", "silver", "gold"];

    public static IEndpointRouteBuilder MapLakeEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/tables", GetTablesAsync).WithName("GetTables").WithTags("Lake").RequireAuthorization(ApiPolicies.Analyst);
        routes.MapGet("/tables/{name}", GetTableAsync).WithName("GetTable").WithTags("Lake").RequireAuthorization(ApiPolicies.Analyst);
        routes.MapGet("/tables/{name}/preview", GetPreviewAsync).WithName("GetTablePreview").WithTags("Lake").RequireAuthorization(ApiPolicies.Analyst).RequireRateLimiting(QueryRateLimit.Policy);
        routes.MapGet("/tables/{name}/history", GetHistoryAsync).WithName("GetTableHistory").WithTags("Lake").RequireAuthorization(ApiPolicies.Analyst);
        routes.MapPost("/query", QueryAsync).WithName("Query").WithTags("Lake").RequireAuthorization(ApiPolicies.Analyst).RequireRateLimiting(QueryRateLimit.Policy);
        routes.MapGet("/catalog", GetCatalogAsync).WithName("GetCatalog").WithTags("Lake").RequireAuthorization(ApiPolicies.Analyst);
        routes.MapGet("/catalog/lineage/{name}", GetLineage).WithName("GetLineage").WithTags("Lake").RequireAuthorization(ApiPolicies.Analyst);
        return routes;
    }

    private static async Task<Results<Ok<List<TableSummary>>, ProblemHttpResult>> GetTablesAsync(string? layer, IGrainFactory grains)
    {
        if (layer is not null && !Layers.Contains(layer))
        {
            return Problems.BadRequest($"layer must be one of bronze, silver or gold (got '{layer}').");
        }
        var tables = PlatformTables.All.Where(table => layer is null || table.Layer == layer);
        var entries = await grains.GetCatalogEntriesAsync(tables);
        return TypedResults.Ok(entries.Select(TableSummary.Of).ToList());
    }

    private static async Task<Results<Ok<TableDetail>, ProblemHttpResult>> GetTableAsync(string name, IGrainFactory grains, LakeLineage lineage)
    {
        if (Find(name) is not { } table)
        {
            return UnknownTable(name);
        }
        return TypedResults.Ok(Detail(await grains.GetGrain<ITableGrain>(table.Name).GetCatalogEntryAsync(), lineage));
    }

    private static async Task<Results<Ok<TablePreview>, ProblemHttpResult>> GetPreviewAsync(
        string name, string? limit, LakeQueryEngine engine, HttpContext context, CancellationToken cancellationToken)
    {
        if (Find(name) is not { } table)
        {
            return UnknownTable(name);
        }
        if (!TryCount(limit, DefaultPreviewRows, MaxPreviewRows, out var rows))
        {
            return Problems.BadRequest($"limit must be a whole number from 1 to {MaxPreviewRows} (got '{limit}').");
        }
        AuditMiddleware.Detail(context, table.Name);
        return await RunAsync(engine, context, $"SELECT * FROM {table.Name} LIMIT {rows}", rows, result =>
            new TablePreview(table.Name, engine.VersionOf(table.Name), result.Columns, result.Rows), cancellationToken);
    }

    private static async Task<Results<Ok<List<CommitSummary>>, ProblemHttpResult>> GetHistoryAsync(string name, string? limit, IGrainFactory grains)
    {
        if (Find(name) is not { } table)
        {
            return UnknownTable(name);
        }
        if (!TryCount(limit, DefaultHistoryCommits, MaxHistoryCommits, out var count))
        {
            return Problems.BadRequest($"limit must be a whole number from 1 to {MaxHistoryCommits} (got '{limit}').");
        }
        var history = await grains.GetGrain<ITableGrain>(table.Name).GetHistoryAsync(count);
        return TypedResults.Ok(history.Select(CommitSummary.Of).ToList());
    }

    private static async Task<Results<Ok<QueryResponse>, ProblemHttpResult>> QueryAsync(
        QueryRequest? request, LakeQueryEngine engine, PlatformMetrics metrics, HttpContext context, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            return Problems.BadRequest("Send a JSON body: {\"sql\": \"SELECT ...\", \"limit\": 1000}.");
        }
        AuditMiddleware.Detail(context, request.Sql ?? "");
        return await RunAsync(engine, context, request.Sql ?? "", request.Limit, result =>
        {
            metrics.QueryAnswered(result.ElapsedMs);
            return new QueryResponse(result.Columns, result.Rows, result.RowCount, result.Truncated, result.ElapsedMs);
        }, cancellationToken);
    }

    /// <summary>
    /// Runs SQL on the lake, with personal data masked unless the caller is an admin: a refused or failing query
    /// is a 400, a query beyond the lake's places a 429.
    /// </summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult>> RunAsync<T>(
        LakeQueryEngine engine, HttpContext context, string sql, int? limit, Func<QueryResult, T> answer, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(answer(await engine.ExecuteAsync(sql, limit, ApiPolicies.PersonalDataFor(context.User), cancellationToken)));
        }
        catch (LakeQueryException ex)
        {
            return Problems.BadRequest(ex.Message, "Query refused");
        }
        catch (LakeBusyException ex)
        {
            return Problems.TooManyRequests(context, ex.Message, QueryRetryAfterSeconds);
        }
    }

    private static async Task<Ok<CatalogReport>> GetCatalogAsync(IGrainFactory grains, LakeLineage lineage, TimeProvider clock)
    {
        var entries = await grains.GetCatalogEntriesAsync(PlatformTables.All);
        var layers = Layers.Select(layer =>
        {
            var tables = entries.Where(entry => entry.Definition.Layer == layer).ToList();
            return new LayerSummary(layer, tables.Count, tables.Sum(entry => entry.RowCount), tables.Sum(entry => entry.SizeBytes), tables.Max(entry => entry.LastUpdated));
        }).ToList();
        return TypedResults.Ok(new CatalogReport(clock.GetUtcNow(), layers, entries.Select(entry => Detail(entry, lineage)).ToList()));
    }

    private static Results<Ok<LineageReport>, ProblemHttpResult> GetLineage(string name, LakeLineage lineage)
    {
        if (Find(name) is not { } table)
        {
            return UnknownTable(name);
        }
        return TypedResults.Ok(new LineageReport(
            table.Name, lineage.Upstream(table.Name), lineage.Downstream(table.Name), lineage.AllUpstream(table.Name), lineage.AllDownstream(table.Name)));
    }

    private static TableDetail Detail(TableCatalogEntry entry, LakeLineage lineage)
    {
        var table = entry.Definition;
        return new TableDetail(
            table.Name, table.Layer, table.Description, table.Owner, table.Mode.ToString(), entry.Version, entry.RowCount, entry.FileCount,
            entry.SizeBytes, entry.LastUpdated, entry.LastOperation,
            [.. table.Columns.Select(column => new ColumnDescription(column.Name, DeltaSchema.TypeName(column.Type), column.Nullable, column.Description, column.Pii))],
            table.PartitionColumn is { } partition ? [partition] : [],
            entry.Partitions, table.KeyColumns, table.RetentionDays, lineage.Upstream(table.Name), lineage.Downstream(table.Name),
            new TableQuality(entry.LatestQuality, entry.RecentQuality));
    }

    private static TableDefinition? Find(string name) => PlatformTables.Find(name);

    private static ProblemHttpResult UnknownTable(string name) =>
        Problems.NotFound($"There is no table '{name}'. Tables are named layer.table, e.g. silver.app_events; GET /tables lists them.");

    private static bool TryCount(string? text, int fallback, int max, out int count)
    {
        count = fallback;
        return text is null || (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) && count >= 1 && count <= max);
    }
}
