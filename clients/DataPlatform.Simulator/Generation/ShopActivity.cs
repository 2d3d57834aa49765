using System.Globalization;
using System.Text.Json;
using Bogus;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Serialization;

namespace DataPlatform.Simulator.Generation;

/// <summary>
/// The e-commerce side of the simulation: user profiles (topic_users), the shop database's change feed
/// (topic_cdc_changes: customers, products, orders, order_items, payments, consistent with each other)
/// and external feeds (topic_external). Customer ids equal user ids; orders, items and payments take
/// the run's ids. A share of orders and customers (<paramref name="ruleBreakingFraction"/>) break a data-quality
/// expectation; that choice draws from the faker's random numbers only when the share is above zero.
/// </summary>
internal sealed class ShopActivity(Randomizer random, Faker faker, RunIds ids, double ruleBreakingFraction = 0)
{
    /// <summary>The order totals above this break the shipped amount_range expectation.</summary>
    public const decimal MaxOrderTotal = 100_000m;

    /// <summary>A status outside the known set (status_known).</summary>
    public const string UnknownStatus = "on_hold";

    private enum BrokenRule
    {
        None,
        MissingTotal,
        TotalTooLarge,
        UnknownStatus,
    }

    public const int Products = 100;
    private static readonly string[] Categories = ["electronics", "books", "clothing", "home", "sports", "toys"];
    private static readonly string[] PaymentMethods = ["card", "paypal", "apple_pay", "google_pay"];
    private static readonly string[] Cities = ["berlin", "london", "paris", "new_york", "tokyo", "sao_paulo"];
    private readonly decimal[] _prices = new decimal[Products];
    private readonly List<string> _openOrders = [];

    public IEnumerable<SimulatedRecord> ProductCatalog(DateTimeOffset now)
    {
        for (var i = 0; i < Products; i++)
        {
            var price = Math.Round((decimal)random.Double(5, 400), 2);
            _prices[i] = price;
            var id = ProductId(i + 1);
            yield return Change("r", "products", now, before: null, after: new()
            {
                ["product_id"] = id,
                ["name"] = faker.Commerce.ProductName(),
                ["description"] = faker.Commerce.ProductDescription(),
                ["category"] = Categories[i % Categories.Length],
                ["subcategory"] = faker.Commerce.ProductAdjective().ToLowerInvariant(),
                ["price"] = Money(price),
                ["cost"] = Money(Math.Round(price * 0.6m, 2)),
                ["sku"] = $"SKU-{i + 1:D5}",
                ["stock_quantity"] = random.Number(0, 500).ToString(CultureInfo.InvariantCulture),
                ["created_at"] = Time(now.AddDays(-365)),
                ["updated_at"] = Time(now),
            });
        }
    }

    /// <summary>A new user's profile and their customer row.</summary>
    public IEnumerable<SimulatedRecord> NewCustomer(string userId, string country, DateTimeOffset now)
    {
        var first = faker.Name.FirstName();
        var last = faker.Name.LastName();
        var email = faker.Internet.Email(first, last).ToLowerInvariant();
        var customerEmail = BreaksARule() ? email.Replace('@', '.') : email;
        var signup = now.AddDays(-random.Number(0, 700));
        var profile = new UserProfileEvent
        {
            UserId = userId,
            Timestamp = now,
            Email = email,
            Name = $"{first} {last}",
            Country = country,
            SignupAt = signup,
        };
        yield return Encode(Topics.Users, userId, profile, EventJsonContext.Default.UserProfileEvent);
        yield return Change("c", "customers", now, before: null, after: new()
        {
            ["customer_id"] = userId,
            ["email"] = customerEmail,
            ["first_name"] = first,
            ["last_name"] = last,
            ["phone"] = faker.Phone.PhoneNumber("+## ### #######"),
            ["address_line1"] = faker.Address.StreetAddress(),
            ["address_line2"] = null,
            ["city"] = faker.Address.City(),
            ["state"] = faker.Address.StateAbbr(),
            ["postal_code"] = faker.Address.ZipCode(),
            ["country"] = country,
            ["created_at"] = Time(signup),
            ["updated_at"] = Time(now),
        });
    }

    /// <summary>A profile update of a known user (country unchanged, new email).</summary>
    public SimulatedRecord ProfileUpdate(string userId, string country, DateTimeOffset now) =>
        Encode(Topics.Users, userId, new UserProfileEvent
        {
            UserId = userId,
            Timestamp = now,
            Email = faker.Internet.Email().ToLowerInvariant(),
            Country = country,
        }, EventJsonContext.Default.UserProfileEvent);

    /// <summary>
    /// A change of a known customer: mostly a move (new city, state and postal code, sent as a partial update),
    /// sometimes a delete (the next session of the user creates the customer again). Picked with the faker's own
    /// random numbers, so the rest of the run stays the same.
    /// </summary>
    public (SimulatedRecord Change, bool Deleted) CustomerChange(string userId, DateTimeOffset now)
    {
        if (faker.Random.Double() < 0.15)
        {
            return (Change("d", "customers", now, before: new() { ["customer_id"] = userId }, after: null), true);
        }
        return (Change("u", "customers", now, before: new() { ["customer_id"] = userId }, after: new()
        {
            ["customer_id"] = userId,
            ["city"] = faker.Address.City(),
            ["state"] = faker.Address.StateAbbr(),
            ["postal_code"] = faker.Address.ZipCode(),
            ["updated_at"] = Time(now),
        }), false);
    }

    /// <summary>One product's new price and unit cost (a partial update); later checkouts sell at the new price.</summary>
    public SimulatedRecord ProductRepricing(DateTimeOffset now)
    {
        var index = faker.Random.Number(0, Products - 1);
        var price = Math.Round(_prices[index] * (decimal)faker.Random.Double(0.9, 1.1), 2);
        _prices[index] = price;
        return Change("u", "products", now, before: new() { ["product_id"] = ProductId(index + 1) }, after: new()
        {
            ["product_id"] = ProductId(index + 1),
            ["price"] = Money(price),
            ["cost"] = Money(Math.Round(price * (decimal)faker.Random.Double(0.55, 0.65), 2)),
            ["updated_at"] = Time(now),
        });
    }

    /// <summary>A number in [0, count) from the faker's own random numbers.</summary>
    public int Pick(int count) => faker.Random.Number(0, count - 1);

    /// <summary>A web checkout: order (pending), its items, the payment, then the order marked paid.</summary>
    public IEnumerable<SimulatedRecord> Checkout(string customerId, DateTimeOffset now)
    {
        var orderId = ids.OrderId();
        var items = Enumerable.Range(0, random.Number(1, 3))
            .Select(_ => (Product: random.Number(1, Products), Quantity: random.Number(1, 3)))
            .ToList();
        var total = items.Sum(item => _prices[item.Product - 1] * item.Quantity);
        var method = random.ArrayElement(PaymentMethods);
        var broken = BreaksARule() ? (BrokenRule)faker.Random.Number(1, 3) : BrokenRule.None;
        var order = new Dictionary<string, string?>
        {
            ["order_id"] = orderId,
            ["customer_id"] = customerId,
            ["order_date"] = Time(now),
            ["status"] = broken == BrokenRule.UnknownStatus ? UnknownStatus : "pending",
            ["total_amount"] = broken switch
            {
                BrokenRule.MissingTotal => null,
                BrokenRule.TotalTooLarge => Money(total + MaxOrderTotal),
                _ => Money(total),
            },
            ["shipping_address"] = faker.Address.FullAddress(),
            ["payment_method"] = method,
            ["created_at"] = Time(now),
            ["updated_at"] = Time(now),
        };
        yield return Change("c", "orders", now, before: null, after: order);
        foreach (var (product, quantity) in items)
        {
            yield return Change("c", "order_items", now, before: null, after: new()
            {
                ["order_item_id"] = ids.OrderItemId(),
                ["order_id"] = orderId,
                ["product_id"] = ProductId(product),
                ["quantity"] = quantity.ToString(CultureInfo.InvariantCulture),
                ["unit_price"] = Money(_prices[product - 1]),
                ["discount"] = Money(0m),
                ["created_at"] = Time(now),
            });
        }
        yield return Change("c", "payments", now, before: null, after: new()
        {
            ["payment_id"] = ids.PaymentId(),
            ["order_id"] = orderId,
            ["amount"] = Money(total),
            ["payment_method"] = method,
            ["payment_status"] = "completed",
            ["transaction_id"] = ids.TransactionId(),
            ["payment_date"] = Time(now),
            ["created_at"] = Time(now),
        });
        var paid = new Dictionary<string, string?>(order) { ["status"] = "paid", ["updated_at"] = Time(now) };
        yield return Change("u", "orders", now, before: order, after: paid);
        _openOrders.Add(orderId);
    }

    /// <summary>Moves a random open order on: mostly shipped, sometimes cancelled.</summary>
    public SimulatedRecord? AdvanceAnOrder(DateTimeOffset now)
    {
        if (_openOrders.Count == 0)
        {
            return null;
        }
        var index = random.Number(0, _openOrders.Count - 1);
        var orderId = _openOrders[index];
        _openOrders.RemoveAt(index);
        var status = random.Double() < 0.1 ? "cancelled" : "shipped";
        return Change("u", "orders", now,
            before: new() { ["order_id"] = orderId, ["status"] = "paid" },
            after: new() { ["order_id"] = orderId, ["status"] = status, ["updated_at"] = Time(now) });
    }

    /// <summary>A reading from an external feed (weather per city, or an exchange rate).</summary>
    public SimulatedRecord ExternalReading(DateTimeOffset now)
    {
        var weather = random.Bool();
        var reading = new ExternalEvent
        {
            Source = weather ? "weather" : "fx",
            Key = weather ? random.ArrayElement(Cities) : random.ArrayElement(["EURUSD", "GBPUSD", "USDJPY"]),
            Timestamp = now,
            Payload = weather
                ? new Dictionary<string, string> { ["temperature_c"] = random.Double(-10, 35).ToString("F1", CultureInfo.InvariantCulture) }
                : new Dictionary<string, string> { ["rate"] = random.Double(0.5, 160).ToString("F4", CultureInfo.InvariantCulture) },
        };
        return Encode(Topics.External, RecordKeys.KeyOf(reading), reading, EventJsonContext.Default.ExternalEvent);
    }

    public static string ProductId(int number) => $"p-{number:D4}";

    private bool BreaksARule() => ruleBreakingFraction > 0 && faker.Random.Double() < ruleBreakingFraction;

    private static SimulatedRecord Change(string op, string table, DateTimeOffset now,
        Dictionary<string, string?>? before, Dictionary<string, string?>? after)
    {
        var change = new CdcChange
        {
            Op = op,
            Source = new CdcSource { Table = table, Db = "shop" },
            TsMs = now.ToUnixTimeMilliseconds(),
            Before = before,
            After = after,
        };
        return Encode(Topics.CdcChanges, RecordKeys.KeyOf(change), change, EventJsonContext.Default.CdcChange);
    }

    private static SimulatedRecord Encode<T>(string topic, string key, T record, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
        where T : notnull =>
        new(topic, key, JsonSerializer.SerializeToUtf8Bytes(record, typeInfo), record);

    private static string Money(decimal amount) => amount.ToString("F2", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}
