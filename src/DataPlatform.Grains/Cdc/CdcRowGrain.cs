using DataPlatform.Grains.Checkpoints;
using DataPlatform.Grains.Users;
using DataPlatform.Grains.Lake;
using DataPlatform.Analytics.Cdc;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Ingestion;

namespace DataPlatform.Grains.Cdc;

/// <summary>
/// One row of the shop database. An order row also keeps its customer's revenue and the day's order
/// figures right: whenever what it counts changes (created, status, total, cancelled, deleted), it takes
/// back the old contribution and adds the new one.
/// </summary>
public sealed class CdcRowGrain(
    [PersistentState("cdc-row", CheckpointedGrainStorage.Name)] IPersistentState<CdcRow> state,
    KpiAccumulator kpis,
    LakeWriter lake,
    CheckpointProgress progress) : Grain, ICdcRowGrain, ICdcRowRecordsGrain
{
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
        await state.ClearStateAsync();
        return true;
    }

    public async Task ApplyItemAsync(OrderItemState item)
    {
        state.State.ApplyItem(item);
        await RecountOrderAsync();
    }

    private string RowKey => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf(':', StringComparison.Ordinal) + 1)..];

    private async Task ApplyAsync(CdcChange change)
    {
        if (!state.State.Apply(change))
        {
            return;
        }
        if (SilverRows.CdcTableOf(change.Source.Table) is { } silverTable)
        {
            lake.AppendAtCheckpoint(silverTable, SilverRows.Of(change, silverTable));
        }
        switch (change.Source.Table)
        {
            case "orders":
                await RecountOrderAsync();
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
}
