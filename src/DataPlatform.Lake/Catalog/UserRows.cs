using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Catalog;

/// <summary>
/// The lake tables whose rows are about one user, and the column that names the user: what a user's export
/// reads. Bronze rows are found by their Kafka key, which the platform's producers set to the user id; a
/// record a producer keyed otherwise is not found there (its silver row is).
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
    };

    /// <summary>The tables that hold rows about users, in catalog order.</summary>
    public static IReadOnlyList<TableDefinition> Tables { get; } = [.. PlatformTables.All.Where(table => Columns.ContainsKey(table.Name))];

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
