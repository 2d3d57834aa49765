namespace DataPlatform.Contracts.Events;

/// <summary>The Kafka record key (and stream key) of each contract record, as producers must set it.</summary>
public static class RecordKeys
{
    /// <summary>The primary-key column of each CDC source table.</summary>
    public static string PrimaryKeyColumnOf(string table) => table switch
    {
        "customers" => "customer_id",
        "products" => "product_id",
        "orders" => "order_id",
        "order_items" => "order_item_id",
        "payments" => "payment_id",
        _ => throw new ArgumentException($"Unknown CDC table '{table}'.", nameof(table)),
    };

    /// <summary>user_id for user topics, the row's primary key for CDC, "source:key" for external feeds.</summary>
    public static string KeyOf(object record) => record switch
    {
        AppEvent appEvent => appEvent.UserId,
        ClickstreamEvent click => click.UserId,
        UserProfileEvent profile => profile.UserId,
        ExternalEvent external => $"{external.Source}:{external.Key}",
        CdcChange change => PrimaryKeyOf(change),
        _ => throw new ArgumentException($"Not a contract record: {record?.GetType().Name ?? "null"}", nameof(record)),
    };

    /// <summary>
    /// The stream key a record is delivered on: its record key, except that a CDC change is keyed by
    /// "table:primary key", so rows of different tables never share a stream (or a row grain).
    /// </summary>
    public static string StreamKeyOf(object record) =>
        record is CdcChange change ? $"{change.Source.Table}:{PrimaryKeyOf(change)}" : KeyOf(record);

    private static string PrimaryKeyOf(CdcChange change)
    {
        var column = PrimaryKeyColumnOf(change.Source.Table);
        var row = change.After ?? change.Before;
        return row is not null && row.TryGetValue(column, out var key) && !string.IsNullOrEmpty(key) ? key : change.Source.Table;
    }
}
