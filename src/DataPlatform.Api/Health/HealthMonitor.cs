using DataPlatform.Contracts.Grains;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Schema;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace DataPlatform.Api.Health;

/// <summary>
/// Fetches the grain-based health figures in the background every <see cref="RefreshInterval"/>, so
/// GET /health answers from what the silo already holds in milliseconds, however long grain calls queue
/// behind ingest. A failed or slow refresh keeps the previous figures; /health reports their age.
/// </summary>
public sealed partial class HealthMonitor(
    IGrainFactory grains, IOptions<LakeOptions> lakeOptions, TimeProvider clock, ILogger<HealthMonitor> logger) : BackgroundService
{
    /// <summary>How often the figures are fetched.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>How long one refresh may take before it counts as failed.</summary>
    public static readonly TimeSpan RefreshTimeout = TimeSpan.FromSeconds(20);

    private HealthFigures _current = HealthFigures.None;

    /// <summary>The figures of the last successful refresh (with the error of later failed ones).</summary>
    public HealthFigures Current => Volatile.Read(ref _current);

    /// <summary>Fetches the figures once; a failure keeps the previous figures and records why.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        try
        {
            var hosts = grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true, cancellationToken);
            var kpis = grains.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).GetSnapshotAsync();
            var tables = Task.WhenAll(PlatformTables.All.Select(CatalogEntryOrNullAsync));
            await Task.WhenAll(hosts, kpis, tables).WaitAsync(RefreshTimeout, cancellationToken);
            Volatile.Write(ref _current, new HealthFigures(
                (await hosts).Count, (await kpis).TotalEvents, [.. (await tables).OfType<TableCatalogEntry>()], clock.GetUtcNow()));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // /health is open to anyone who reaches the silo: the reason names lake-relative paths only.
            Volatile.Write(ref _current, Current with { LastError = new MachinePaths(lakeOptions.Value.Root).Mask(ex.Message) });
            LogRefreshFailed(logger, ex);
        }
    }

    /// <summary>
    /// One table's catalog entry, or null when its grain cannot answer (its directory unreadable, say): that
    /// table is reported by the lake writer's own figures, and the other checks keep theirs.
    /// </summary>
    private async Task<TableCatalogEntry?> CatalogEntryOrNullAsync(TableDefinition table)
    {
        try
        {
            return await grains.GetGrain<ITableGrain>(table.Name).GetCatalogEntryAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogTableUnavailable(logger, ex, table.Name);
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await RefreshAsync(stoppingToken);
            try
            {
                await Task.Delay(RefreshInterval, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The catalog entry of {Table} could not be read for /health")]
    private static partial void LogTableUnavailable(ILogger logger, Exception exception, string table);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Refreshing the health figures failed; /health keeps the previous ones")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
