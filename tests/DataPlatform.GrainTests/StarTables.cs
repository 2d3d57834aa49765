using System.Text.Json;
using DataPlatform.Lake.Sql;

namespace DataPlatform.GrainTests;

/// <summary>Asserts that the star schema's gold tables hold exactly the rows of a <see cref="StarReference"/>.</summary>
public static class StarTables
{
    public static async Task AssertEqualAsync(LakeQueryEngine lake, StarReference star)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(star);
        // Every row, a page of the engine's largest answer at a time, in the order of the first column.
        async Task<List<JsonElement>> RowsAsync(string sql)
        {
            const int page = 10_000;
            var rows = new List<JsonElement>();
            while (true)
            {
                var answer = await lake.ExecuteAsync($"{sql} ORDER BY 1 LIMIT {page} OFFSET {rows.Count}", page, CancellationToken.None);
                rows.AddRange(answer.Rows);
                if (answer.Rows.Count < page)
                {
                    return rows;
                }
            }
        }
        Assert.Equal(star.Customers.OrderBy(version => version.Key, StringComparer.Ordinal), (await RowsAsync(
            "SELECT customer_key, customer_id, version, city, state, postal_code, country, segment, epoch_ms(valid_from), epoch_ms(valid_to), is_current FROM gold.dim_customers"))
            .Select(row => new StarReference.Version(row[0].GetString()!, row[1].GetString()!, row[2].GetInt32(), Text(row[3]), Text(row[4]), Text(row[5]), Text(row[6]),
                Text(row[7]), row[8].GetInt64(), Whole(row[9]), row[10].GetBoolean()))
            .OrderBy(version => version.Key, StringComparer.Ordinal));
        Assert.Equal(star.Products.OrderBy(product => product.ProductId, StringComparer.Ordinal), (await RowsAsync(
            "SELECT product_id, name, category, subcategory, price, cost, sku, is_deleted, epoch_ms(updated_at) FROM gold.dim_products"))
            .Select(row => new StarReference.Product(row[0].GetString()!, Text(row[1]), Text(row[2]), Text(row[3]), Money(row[4]), Money(row[5]), Text(row[6]),
                row[7].GetBoolean(), row[8].GetInt64()))
            .OrderBy(product => product.ProductId, StringComparer.Ordinal));
        Assert.Equal(star.Orders.OrderBy(order => order.OrderId, StringComparer.Ordinal), (await RowsAsync(
            "SELECT order_id, customer_id, epoch_ms(order_date), date_key, status, counts, total_amount, payment_method, lines, units, lines_revenue, lines_cost, profit, "
            + "epoch_ms(changed_at) FROM gold.fct_orders"))
            .Select(row => new StarReference.OrderFact(row[0].GetString()!, row[1].GetString()!, row[2].GetInt64(), row[3].GetInt32(), row[4].GetString()!,
                row[5].GetBoolean(), row[6].GetDecimal(), Text(row[7]), row[8].GetInt32(), row[9].GetInt64(), row[10].GetDecimal(), Money(row[11]), Money(row[12]),
                row[13].GetInt64()))
            .OrderBy(order => order.OrderId, StringComparer.Ordinal));
        Assert.Equal(star.Lines.OrderBy(line => line.OrderItemId, StringComparer.Ordinal), (await RowsAsync(
            "SELECT order_item_id, order_id, customer_id, product_id, epoch_ms(order_date), date_key, quantity, unit_price, discount, revenue, unit_cost, cost, profit "
            + "FROM gold.fct_order_items"))
            .Select(row => new StarReference.LineFact(row[0].GetString()!, row[1].GetString()!, row[2].GetString()!, row[3].GetString()!, row[4].GetInt64(),
                row[5].GetInt32(), row[6].GetInt32(), row[7].GetDecimal(), row[8].GetDecimal(), row[9].GetDecimal(), Money(row[10]), Money(row[11]), Money(row[12])))
            .OrderBy(line => line.OrderItemId, StringComparer.Ordinal));
        var calendar = await RowsAsync("SELECT date_key, CAST(date AS VARCHAR), quarter, day_of_week, iso_week, is_weekend FROM gold.dim_date");
        Assert.Equal(star.Orders.Select(order => order.DateKey).Distinct().Order(), calendar.Select(row => row[0].GetInt32()).Order());
        Assert.All(calendar, row =>
        {
            var date = DateOnly.ParseExact(row[1].GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(date.Year * 10_000 + date.Month * 100 + date.Day, row[0].GetInt32());
            Assert.Equal(((date.Month - 1) / 3) + 1, row[2].GetInt32());
            Assert.Equal(date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek, row[3].GetInt32());
            Assert.Equal(System.Globalization.ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)), row[4].GetInt32());
            Assert.Equal(date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday, row[5].GetBoolean());
        });
    }

    private static string? Text(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetString();

    private static decimal? Money(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetDecimal();

    private static long? Whole(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt64();
}
