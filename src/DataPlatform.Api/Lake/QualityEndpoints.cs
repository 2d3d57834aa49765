using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Quality;
using DataPlatform.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DataPlatform.Api.Lake;

/// <summary>
/// GET /quality: every table's data quality over its recent writes (the last 20 commits with figures): its score,
/// the rows that failed the schema or an expectation, and each declared expectation with its violations.
/// </summary>
public static class QualityEndpoints
{
    public static IEndpointRouteBuilder MapQualityEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/quality", GetQualityAsync).WithName("GetQuality").WithTags("Lake").RequireAuthorization(ApiPolicies.Analyst);
        return routes;
    }

    private static async Task<Ok<QualitySummary>> GetQualityAsync(IGrainFactory grains, QualityExpectations expectations)
    {
        var entries = await grains.GetCatalogEntriesAsync(PlatformTables.All);
        var tables = entries.Select(entry => TableQualityOf(entry, expectations.For(entry.Definition.Name))).ToList();
        var recent = CommitQuality.Combine([.. entries.Select(entry => entry.RecentQuality).OfType<CommitQuality>()]);
        return TypedResults.Ok(new QualitySummary(recent.Score, tables));
    }

    private static TableQualitySummary TableQualityOf(TableCatalogEntry entry, TableExpectations? declared)
    {
        var recent = entry.RecentQuality ?? new CommitQuality();
        return new TableQualitySummary(
            entry.Definition.Name,
            recent.Score,
            recent.Rows,
            recent.SchemaViolations,
            recent.ExpectationFailures,
            recent.QuarantinedRows,
            [.. (declared?.Declared ?? []).Select(expectation => new ExpectationSummary(
                expectation.Name, expectation.Rule, expectation.Column ?? string.Join(',', expectation.Columns), expectation.Blocking,
                recent.Expectations.GetValueOrDefault(expectation.Name)))]);
    }
}
