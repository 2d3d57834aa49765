using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Users;
using DataPlatform.Grains.Lake;
using DataPlatform.Analytics.Cdc;
using DataPlatform.Analytics.Star;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Ingestion;

namespace DataPlatform.Grains.Cdc;

/// <summary>
/// One row of the shop database. An order row also keeps its customer's revenue and the day's order
/// figures right: whenever what it counts changes (created, status, total, cancelled, deleted), it takes
/// back the old contribution and adds the new one. The rows also keep the star schema in gold: a customer
/// its versions (gold.dim_customers), a product its current row (gold.dim_products) and the orders that
/// take its cost, an order its fact and its lines' facts (gold.fct_orders, gold.fct_order_items, gold.dim_date).
/// </summary>
public sealed class CdcRowGrain(
    [PersistentState("cdc-row", CheckpointedGrainStorage.Name)] IPersistentState<CdcRow> state,
    KpiAccumulator kpis,
    LakeWriter lake,
    CheckpointProgress progress) : Grain, ICdcRowGrain, ICdcRowRecordsGrain
{
    /// <summary>
    /// The star rows are written again from the state the row was activated with: the rows its last activation
    /// wrote may have died with that silo's writer before their checkpoint released them.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        PublishStarRows();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<string, string?>?> GetRowAsync()
    {
        if (state.State.IsEmpty)
        {
            // A lookup of an unknown row must not keep an activation alive until collection.
            DeactivateOnIdle();
        }
        return Task.FromResult<IReadOnlyDictionary<string, string?>?>(state.State.Exists ? state.State.Current : null);
    }

    public Task ApplyChangesAsync(RoutedRecords<CdcChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return progress.ApplyUnlessStaleAsync(changes.ReadingGeneration, async () =>
        {
            foreach (var change in changes.Records)
            {
                await ApplyAsync(change);
            }
        });
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!state.State.IsEmpty && reason.ReasonCode != DeactivationReasonCode.ShuttingDown)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<bool> EraseAsync()
    {
        DeactivateOnIdle();
        if (state.State.IsEmpty)
        {
            return false;
        }
        var key = RowKey;
        var lines = state.State.PublishedLines.ToHashSet(StringComparer.Ordinal);
        lake.ForgetSnapshotRows(GoldRows.DimCustomers, customerKey => customerKey.StartsWith($"{key}#", StringComparison.Ordinal));
        lake.ForgetSnapshotRows(GoldRows.FctOrders, orderId => orderId == key);
        lake.ForgetSnapshotRows(GoldRows.FctOrderItems, lines.Contains);
        await state.ClearStateAsync();
        return true;
    }

    public async Task ApplyItemAsync(OrderItemState item)
    {
        state.State.ApplyItem(item);
        await RecountOrderAsync();
        await RefreshOrderFactsAsync();
    }

    public Task<decimal?> TrackOrderAsync(string orderId, DateTimeOffset orderDate) =>
        Task.FromResult(state.State.TrackOrder(orderId, orderDate));

    public Task ApplyProductCostAsync(string productId, decimal? cost)
    {
        if (state.State.PricedProduct(productId, cost))
        {
            PublishOrderFacts();
        }
        return Task.CompletedTask;
    }

    public Task ApplySegmentsAsync(Dictionary<DateOnly, string> segments)
    {
        if (state.State.SetSegments(segments))
        {
            PublishCustomerVersions();
        }
        return Task.CompletedTask;
    }

    private string RowKey => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf(':', StringComparison.Ordinal) + 1)..];

    private async Task ApplyAsync(CdcChange change)
    {
        await RecordDimensionChangeAsync(change);
        if (!state.State.Apply(change))
        {
            return;
        }
        if (SilverRows.CdcTableOf(change.Source.Table) is { } silverTable)
        {
            lake.AppendAtCheckpoint(silverTable, SilverRows.Of(change, silverTable, state.State.Current));
        }
        switch (change.Source.Table)
        {
            case "orders":
                await RecountOrderAsync();
                await RefreshOrderFactsAsync();
                break;
            case "order_items" when state.State.OrderIdOfItem is { Length: > 0 } orderId && state.State.ItemNow(RowKey) is { } item:
                await GrainFactory.GetGrain<ICdcRowGrain>($"orders:{orderId}").ApplyItemAsync(item);
                break;
        }
    }

    /// <summary>Moves what the order contributes (customer revenue, the day's orders, product sales) to what it counts now.</summary>
    private async Task RecountOrderAsync()
    {
        var orderId = RowKey;
        var before = state.State.CountedOrder;
        var after = state.State.OrderNow(orderId);
        var productChanges = state.State.TakeProductChanges(after is { Counts: true });
        if (productChanges.Count > 0)
        {
            kpis.RecordProductChanges(productChanges);
        }
        if (before == after)
        {
            return;
        }
        if (before is not null && before.CustomerId != after?.CustomerId)
        {
            await GrainFactory.GetGrain<IUserGrain>(before.CustomerId).ApplyOrderAsync(before with { Deleted = true });
        }
        if (after is not null)
        {
            await GrainFactory.GetGrain<IUserGrain>(after.CustomerId).ApplyOrderAsync(after);
        }
        kpis.RecordOrderChange(before, after);
        state.State.Counted(after);
    }

    /// <summary>A change of a customer or product, in or out of order, goes into its history and its dimension.</summary>
    private async Task RecordDimensionChangeAsync(CdcChange change)
    {
        switch (change.Source.Table)
        {
            case "customers" when state.State.RecordHistory(change):
                PublishCustomerVersions();
                break;
            case "products":
                var before = state.State.TrackedOrderCosts();
                if (state.State.RecordHistory(change))
                {
                    PublishProduct();
                    var after = state.State.TrackedOrderCosts();
                    await Task.WhenAll(after.Where(order => before.GetValueOrDefault(order.Key) != order.Value)
                        .Select(order => GrainFactory.GetGrain<ICdcRowGrain>($"orders:{order.Key}").ApplyProductCostAsync(RowKey, order.Value)));
                }
                break;
        }
    }

    /// <summary>Asks the products of the order's lines for their cost at its date (once per product and date), then writes its facts.</summary>
    private async Task RefreshOrderFactsAsync()
    {
        if (state.State.OrderNow(RowKey) is { Deleted: false } order)
        {
            foreach (var productId in state.State.ProductsToPrice(order.OrderDate))
            {
                var cost = await GrainFactory.GetGrain<ICdcRowGrain>($"products:{productId}").TrackOrderAsync(RowKey, order.OrderDate);
                state.State.PricedProduct(productId, cost);
            }
        }
        PublishOrderFacts();
    }

    private void PublishStarRows()
    {
        switch (state.State.Table)
        {
            case "customers":
                PublishCustomerVersions();
                break;
            case "products":
                PublishProduct();
                break;
            case "orders":
                PublishOrderFacts();
                break;
        }
    }

    private void PublishCustomerVersions()
    {
        if (state.State.History is not { } history)
        {
            return;
        }
        var versions = CustomerVersions.Of(RowKey, history, state.State.Segments);
        foreach (var version in versions)
        {
            var (key, row) = GoldRows.Of(version);
            lake.UpsertAtCheckpoint(GoldRows.DimCustomers, key, row);
        }
        for (var gone = versions.Count + 1; gone <= state.State.PublishedVersions; gone++)
        {
            lake.DeleteAtCheckpoint(GoldRows.DimCustomers, CustomerVersion.KeyOf(RowKey, gone));
        }
        state.State.PublishedVersions = versions.Count;
    }

    private void PublishProduct()
    {
        if (state.State.History?.Latest is { } latest)
        {
            var (key, row) = GoldRows.Product(RowKey, latest);
            lake.UpsertAtCheckpoint(GoldRows.DimProducts, key, row);
        }
    }

    /// <summary>Writes the order's fact, its lines' facts and its date; removes from gold what the order no longer has.</summary>
    private void PublishOrderFacts()
    {
        var orderId = RowKey;
        var wasPublished = state.State.OrderPublished;
        var (order, lines) = state.State.Facts(orderId);
        foreach (var gone in state.State.Published(order, lines))
        {
            lake.DeleteAtCheckpoint(GoldRows.FctOrderItems, gone);
        }
        if (order is null)
        {
            if (wasPublished)
            {
                lake.DeleteAtCheckpoint(GoldRows.FctOrders, orderId);
            }
            return;
        }
        var (orderKey, orderRow) = GoldRows.Of(order);
        lake.UpsertAtCheckpoint(GoldRows.FctOrders, orderKey, orderRow);
        var (dateKey, dateRow) = GoldRows.Of(new CalendarDay(DateOnly.FromDateTime(order.OrderDate.UtcDateTime)));
        lake.UpsertAtCheckpoint(GoldRows.DimDate, dateKey, dateRow);
        foreach (var line in lines)
        {
            var (lineKey, lineRow) = GoldRows.Of(line);
            lake.UpsertAtCheckpoint(GoldRows.FctOrderItems, lineKey, lineRow);
        }
    }
}
