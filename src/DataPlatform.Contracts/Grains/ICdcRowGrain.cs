using DataPlatform.Contracts.Messages;

namespace DataPlatform.Contracts.Grains;

/// <summary>
/// The current state of one row of the shop database, keyed by "table:primary key" and fed by the
/// change feed (through the partition router that reads the <c>cdc_changes</c> namespace).
/// </summary>
[Alias("dp.ICdcRowGrain")]
public interface ICdcRowGrain : IGrainWithStringKey
{
    /// <summary>The row's columns, or null when it never existed or was deleted.</summary>
    [Alias("GetRow")]
    Task<IReadOnlyDictionary<string, string?>?> GetRowAsync();

    /// <summary>For an order row: one of its lines changed (sent by the order_items row grain).</summary>
    [Alias("ApplyItem")]
    Task ApplyItemAsync(OrderItemState item);

    /// <summary>
    /// Erases the row (an erased user's customer row or order): what it counted stays in the day's figures, the
    /// row itself is gone. True when it held anything.
    /// </summary>
    [Alias("Erase")]
    Task<bool> EraseAsync();
}
