using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Catalog;

/// <summary>
/// The lake tables whose rows are about one user, and how a row names the user: what a user's export reads and
/// what an erasure rewrites. The export finds bronze rows by their Kafka key, which the platform's producers set
/// to the user id. An erasure also reads raw records and quarantined rows whole: a row is about the user when its
/// key is the user id or its JSON holds the user id as a string value (an order's customer_id, a dead letter's
/// user_id).
/// </summary>
public static class UserRows
{
    private static readonly Dictionary<string, string> Columns = new(StringComparer.Ordinal)
    {
        ["bronze.app_events"] = "record_key",
        ["bronze.clickstream"] = "record_key",
        ["bronze.users"] = "record_key",
        ["silver.users"] = "user_id",
        ["silver.app_events"] = "user_id",
        ["silver.clickstream"] = "user_id",
        ["silver.sessions"] = "user_id",
        ["silver.customers"] = "customer_id",
        ["silver.orders"] = "customer_id",
        ["gold.user_segments"] = "user_id",
        ["gold.customer_lifetime_value"] = "customer_id",
        ["gold.dim_customers"] = "customer_id",
        ["gold.fct_orders"] = "customer_id",
        ["gold.fct_order_items"] = "customer_id",
        ["gold.user_features"] = "user_id",
        [PlatformTables.Erasures] = "user_id",
    };

    /// <summary>The tables that hold rows about users, in catalog order.</summary>
    public static IReadOnlyList<TableDefinition> Tables { get; } =
        [.. PlatformTables.All.Where(table => Columns.ContainsKey(table.Name) && table.Name != PlatformTables.Erasures)];

    /// <summary>
    /// Every table an erasure removes the user's rows from: the export's, every raw bronze table and the
    /// quarantine. Not the audit log (the record of who did what, erasures included, kept for its retention) and
    /// not the erasure register, whose request row the erasure removes last.
    /// </summary>
    public static IReadOnlyList<TableDefinition> Erased { get; } =
        [.. PlatformTables.All.Where(table => table.Name != PlatformTables.Erasures && (Columns.ContainsKey(table.Name) || IsRaw(table) || table.Name == PlatformTables.Quarantine))];

    /// <summary>Whether a row of <paramref name="table"/> is about the user (see the class summary).</summary>
    public static Func<object?[], bool> MatcherFor(TableDefinition table, string userId)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (IsRaw(table))
        {
            var key = System.Text.Encoding.UTF8.GetBytes(userId);
            var (keyIndex, valueIndex) = (table.IndexOf("record_key"), table.IndexOf("record_value"));
            return row => (row[keyIndex] is byte[] recordKey && recordKey.AsSpan().SequenceEqual(key))
                || (row[valueIndex] is byte[] value && JsonMentions.HoldsString(value, userId));
        }
        if (table.Name == PlatformTables.Quarantine)
        {
            var json = table.IndexOf("row_json");
            return row => row[json] is string text && JsonMentions.HoldsString(System.Text.Encoding.UTF8.GetBytes(text), userId);
        }
        var column = table.IndexOf(Columns.TryGetValue(table.Name, out var name) ? name : throw new ArgumentException($"{table.Name} holds no rows about users.", nameof(table)));
        return row => row[column] is string id && id == userId;
    }

    private static bool IsRaw(TableDefinition table) =>
        table.Columns.Any(column => column.Name == "record_key") && table.Columns.Any(column => column.Name == "record_value");

    /// <summary>The SQL that selects a table's rows about one user (the id is quoted as a SQL literal).</summary>
    public static string SelectFor(TableDefinition table, string userId)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(userId);
        var column = Columns[table.Name];
        var literal = $"'{userId.Replace("'", "''", StringComparison.Ordinal)}'";
        var value = table.Columns.First(candidate => candidate.Name == column).Type == LakeColumnType.Binary ? $"encode({literal})" : literal;
        return $"SELECT * FROM {table.Name} WHERE \"{column}\" = {value}";
    }
}
