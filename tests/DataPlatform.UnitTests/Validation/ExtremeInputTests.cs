using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DataPlatform.Analytics.Cdc;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Segments;
using DataPlatform.Analytics.Sessions;
using DataPlatform.Analytics.Users;
using DataPlatform.Analytics.Validation;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Files;
using Microsoft.Extensions.Time.Testing;

namespace DataPlatform.UnitTests.Validation;

/// <summary>
/// Every field of every topic, set in turn to the extremes of numbers, decimals, strings and times: each
/// record is either rejected with a reason that names the field (or the whole record), or accepted and
/// then applied by every consumer — user, session, KPI pre-aggregation and board, change-feed row,
/// silver row — without an exception, moving each figure by exactly what that one record contributes.
/// </summary>
public sealed class ExtremeInputTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly EventDecoder _decoder = new(new EdgeValidationOptions(), new FakeTimeProvider(Now));

    private static readonly string[] WholeRecordReasons =
    [
        DeadLetterReason.TooLarge, DeadLetterReason.NotJson, DeadLetterReason.NotObject, DeadLetterReason.InvalidUtf8,
        DeadLetterReason.TimestampUnparseable, DeadLetterReason.TimestampInFuture, DeadLetterReason.TimestampExpired,
        DeadLetterReason.UnknownOp, DeadLetterReason.UnknownTable,
    ];

    private static string Time(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);

    /// <summary>Numbers, decimals as text, strings, times and other JSON values at their extremes.</summary>
    private static IEnumerable<JsonNode?> ExtremeValues()
    {
        foreach (var number in new[]
        {
            "0", "-0", "-0.0", "1e-300", "1e308", "-1e308", "1e400", "1e30", "-1e30", "1e9", "1000000000.5", "-1e9",
            "79228162514264337593543950335", "79228162514264337593543950336", "-79228162514264337593543950335",
            "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648", "12.345", "0.001", "1000001",
        })
        {
            yield return JsonNode.Parse(number);
        }
        foreach (var text in new[]
        {
            "", "x", new string('x', 64), new string('x', 65), new string('x', 128), new string('x', 129), new string('é', 2049),
            new string('x', 60_000), "\u0000", "\ud800", "\udc00x", "é€😀", "NaN", "Infinity", "-0", "1e400", "1e3", "abc", " 12 ",
            "99999999999999999999.99", "79228162514264337593543950335", "1000000000.00", "-1000000000.01", "12.345", "0.10", "-5",
            "1000000", "1000001", "9223372036854775808",
            "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.9999999Z", "1970-01-01T00:00:00Z", "2026-02-30T00:00:00Z",
            Time(Now), Time(Now.AddMinutes(4)), Time(Now.AddMinutes(6)), Time(Now.AddDays(-29)), Time(Now.AddDays(-31)),
            "2026-11-20T12:00:00+14:00", "2026-11-20T11:00:00", "12/01/2026",
        })
        {
            yield return JsonValue.Create(text);
        }
        yield return null;
        yield return JsonValue.Create(true);
        yield return new JsonArray(1, 2);
        yield return new JsonObject { ["nested"] = new JsonObject { ["deeper"] = 1 } };
        yield return JsonValue.Create(Now.AddMinutes(-1).ToUnixTimeMilliseconds());
        yield return JsonValue.Create(Now.AddDays(-31).ToUnixTimeMilliseconds());
        yield return JsonValue.Create(Now.AddHours(1).ToUnixTimeMilliseconds());
    }

    private static IEnumerable<(string Topic, JsonObject Record)> ValidRecords()
    {
        var at = Time(Now.AddMinutes(-1));
        var ms = Now.AddMinutes(-1).ToUnixTimeMilliseconds();
        yield return (Topics.AppEvents, new JsonObject
        {
            ["event_id"] = "e1", ["user_id"] = "u1", ["session_id"] = "s1", ["event_type"] = "purchase", ["app_type"] = "ios",
            ["timestamp"] = at, ["value"] = 19.99, ["properties"] = new JsonObject { ["screen"] = "checkout" },
        });
        yield return (Topics.Clickstream, new JsonObject
        {
            ["event_id"] = "c1", ["user_id"] = "u1", ["session_id"] = "s1", ["page_url"] = "/cart", ["action"] = "page_view",
            ["timestamp"] = at, ["referrer"] = "/", ["device"] = "mobile",
        });
        yield return (Topics.Users, new JsonObject
        {
            ["user_id"] = "u1", ["timestamp"] = at, ["email"] = "a@b.c", ["name"] = "A", ["country"] = "DE", ["signup_at"] = at,
        });
        yield return (Topics.External, new JsonObject
        {
            ["source"] = "weather", ["key"] = "berlin", ["timestamp"] = at, ["payload"] = new JsonObject { ["t"] = 3 },
        });
        foreach (var (table, row) in CdcRows(at))
        {
            yield return (Topics.CdcChanges, new JsonObject
            {
                ["op"] = "c", ["source"] = new JsonObject { ["table"] = table, ["db"] = "shop" }, ["ts_ms"] = ms, ["before"] = null, ["after"] = row,
            });
        }
    }

    private static IEnumerable<(string Table, JsonObject Row)> CdcRows(string at)
    {
        yield return ("customers", new JsonObject
        {
            ["customer_id"] = "u1", ["email"] = "a@b.c", ["first_name"] = "A", ["country"] = "DE", ["created_at"] = at, ["updated_at"] = at,
        });
        yield return ("products", new JsonObject
        {
            ["product_id"] = "p1", ["name"] = "Lamp", ["category"] = "home", ["price"] = "20.00", ["cost"] = "12.00",
            ["stock_quantity"] = "5", ["created_at"] = at,
        });
        yield return ("orders", new JsonObject
        {
            ["order_id"] = "o1", ["customer_id"] = "u1", ["order_date"] = at, ["status"] = "paid", ["total_amount"] = "40.00",
            ["shipping_address"] = "Street 1", ["created_at"] = at,
        });
        yield return ("order_items", new JsonObject
        {
            ["order_item_id"] = "i1", ["order_id"] = "o1", ["product_id"] = "p1", ["quantity"] = "2", ["unit_price"] = "20.00",
            ["discount"] = "0.00", ["created_at"] = at,
        });
        yield return ("payments", new JsonObject
        {
            ["payment_id"] = "pay1", ["order_id"] = "o1", ["amount"] = "40.00", ["payment_status"] = "ok", ["payment_date"] = at,
        });
    }

    /// <summary>Every (path, value) variant of every valid record: top-level fields and the fields of nested objects.</summary>
    private static IEnumerable<(string Topic, string Field, byte[] Payload)> Variants()
    {
        foreach (var (topic, record) in ValidRecords())
        {
            foreach (var (field, parent, name) in Fields(record, ""))
            {
                foreach (var value in ExtremeValues())
                {
                    var original = parent[name];
                    parent[name] = value?.DeepClone();
                    yield return (topic, field, Encoding.UTF8.GetBytes(record.ToJsonString()));
                    parent[name] = original?.DeepClone();
                }
                var kept = parent[name];
                parent.Remove(name);
                yield return (topic, field, Encoding.UTF8.GetBytes(record.ToJsonString()));
                parent[name] = kept?.DeepClone();
            }
        }
    }

    private static IEnumerable<(string Path, JsonObject Parent, string Name)> Fields(JsonObject record, string prefix)
    {
        foreach (var name in record.Select(property => property.Key).ToList())
        {
            var path = prefix + name;
            yield return (path, record, name);
            if (record[name] is JsonObject nested && name is "source" or "after")
            {
                foreach (var field in Fields(nested, path + "."))
                {
                    yield return field;
                }
            }
        }
    }

    [Fact]
    public void Every_field_at_its_extremes_is_rejected_with_its_reason_or_applied_exactly_once_everywhere()
    {
        var accepted = 0;
        var rejected = 0;
        foreach (var (topic, field, payload) in Variants())
        {
            var result = _decoder.Decode(topic, payload);
            if (result.IsValid)
            {
                ApplyEverywhere(result.Value!, $"{topic} {field}={Encoding.UTF8.GetString(payload)}");
                accepted++;
            }
            else
            {
                AssertNamesTheField(result.Reason!, field, topic);
                rejected++;
            }
        }
        // Both outcomes really happen: extremes are neither all refused nor all let through.
        Assert.True(accepted > 200, $"{accepted} accepted");
        Assert.True(rejected > 200, $"{rejected} rejected");
    }

    [Fact]
    public void Whole_record_extremes_have_one_documented_outcome()
    {
        var valid = Encoding.UTF8.GetBytes(ValidRecords().First().Record.ToJsonString());

        // A byte order mark is skipped; the record decodes as without it.
        Assert.True(_decoder.Decode(Topics.AppEvents, (byte[])[0xEF, 0xBB, 0xBF, .. valid]).IsValid);

        // Invalid UTF-8 anywhere refuses the record, in a field the decoder reads and in one it ignores.
        var inIgnoredField = Encoding.UTF8.GetBytes("""{"ignored":"@","event_id":"e1","user_id":"u1","event_type":"click","app_type":"ios","timestamp":"2026-11-20T11:59:00Z"}""");
        inIgnoredField[12] = 0xFF;
        Assert.Equal(DeadLetterReason.InvalidUtf8, _decoder.Decode(Topics.AppEvents, inIgnoredField).Reason);
        var inUserId = Encoding.UTF8.GetBytes("""{"event_id":"e1","user_id":"u@","event_type":"click","app_type":"ios","timestamp":"2026-11-20T11:59:00Z"}""");
        inUserId[Array.IndexOf(inUserId, (byte)'@')] = 0xC3;
        Assert.Equal(DeadLetterReason.InvalidUtf8, _decoder.Decode(Topics.AppEvents, inUserId).Reason);

        // The size limit is on the bytes received: 64 KiB passes, one byte more does not.
        var padded = Pad(valid, EdgeValidationOptions.DefaultMaxMessageBytes);
        Assert.True(_decoder.Decode(Topics.AppEvents, padded).IsValid);
        Assert.Equal(DeadLetterReason.TooLarge, _decoder.Decode(Topics.AppEvents, Pad(valid, EdgeValidationOptions.DefaultMaxMessageBytes + 1)).Reason);

        Assert.Equal(DeadLetterReason.NotJson, _decoder.Decode(Topics.AppEvents, (byte[])[0xEF, 0xBB, 0xBF]).Reason);
        Assert.Equal(DeadLetterReason.NotJson, _decoder.Decode(Topics.AppEvents, Array.Empty<byte>()).Reason);
    }

    [Theory]
    [InlineData("1e30", "out_of_range:value")]
    [InlineData("1000000000.01", "out_of_range:value")]
    [InlineData("-1e308", "out_of_range:value")]
    [InlineData("1e400", "non_finite_number:value")]
    public void Values_the_analytics_cannot_hold_are_refused_at_the_edge(string value, string reason)
    {
        var json = $$"""{"event_id":"e1","user_id":"u1","event_type":"purchase","app_type":"ios","timestamp":"2026-11-20T11:59:00Z","value":{{value}}}""";
        Assert.Equal(reason, _decoder.Decode(Topics.AppEvents, Encoding.UTF8.GetBytes(json)).Reason);
    }

    [Theory]
    [InlineData("orders", "total_amount", "\"99999999999999999999.99\"", "out_of_range:after.total_amount")]
    [InlineData("orders", "total_amount", "\"79228162514264337593543950335\"", "out_of_range:after.total_amount")]
    [InlineData("orders", "total_amount", "79228162514264337593543950336", "out_of_range:after.total_amount")]
    [InlineData("orders", "total_amount", "\"12.345\"", "invalid_value:after.total_amount")]
    [InlineData("orders", "total_amount", "\"twelve\"", "invalid_value:after.total_amount")]
    [InlineData("orders", "order_date", "\"last tuesday\"", "invalid_value:after.order_date")]
    [InlineData("order_items", "quantity", "\"1000001\"", "out_of_range:after.quantity")]
    [InlineData("order_items", "quantity", "\"-1\"", "out_of_range:after.quantity")]
    [InlineData("order_items", "quantity", "\"2.5\"", "invalid_value:after.quantity")]
    [InlineData("products", "stock_quantity", "\"9223372036854775808\"", "out_of_range:after.stock_quantity")]
    [InlineData("orders", "order_id", "null", "missing_field:after.order_id")]
    public void Change_feed_columns_outside_their_range_are_refused_with_the_column(string table, string column, string value, string reason)
    {
        var row = CdcRows(Time(Now)).Single(candidate => candidate.Table == table).Row;
        row[column] = JsonNode.Parse(value);
        var change = new JsonObject
        {
            ["op"] = "c", ["source"] = new JsonObject { ["table"] = table }, ["ts_ms"] = Now.ToUnixTimeMilliseconds(), ["after"] = row.DeepClone(),
        };
        var json = change.ToJsonString();
        Assert.Equal(reason, _decoder.Decode(Topics.CdcChanges, Encoding.UTF8.GetBytes(json)).Reason);
    }

    [Fact]
    public void Money_in_any_json_number_form_is_kept_in_its_canonical_form()
    {
        var json = $$"""{"op":"c","source":{"table":"orders"},"ts_ms":{{Now.ToUnixTimeMilliseconds()}},"after":{"order_id":"o1","total_amount":1.2e2} }""";
        var change = Assert.IsType<CdcChange>(_decoder.Decode(Topics.CdcChanges, Encoding.UTF8.GetBytes(json)).Value);
        Assert.Equal("120", change.After!["total_amount"]);
    }

    private static byte[] Pad(byte[] record, int size)
    {
        // {"pad":"xxx…", + the record's fields: exactly `size` bytes.
        var head = "{\"pad\":\""u8.ToArray();
        var tail = "\","u8.ToArray();
        var filler = size - head.Length - tail.Length - (record.Length - 1);
        return [.. head, .. Enumerable.Repeat((byte)'x', filler), .. tail, .. record.AsSpan(1)];
    }

    private static void AssertNamesTheField(string reason, string field, string topic)
    {
        if (WholeRecordReasons.Contains(reason))
        {
            return;
        }
        var separator = reason.IndexOf(':', StringComparison.Ordinal);
        Assert.True(separator > 0, $"'{reason}' for {topic} {field} is not a documented reason code");
        var code = reason[..separator];
        Assert.Contains(code, (string[])["missing_field", "invalid_type", "invalid_value", "out_of_range", "non_finite_number"]);
        var named = reason[(separator + 1)..];
        // The reason names the field, or the object holding it (e.g. malformed text anywhere in "after").
        Assert.True(field == named || field.StartsWith(named + ".", StringComparison.Ordinal) || named.StartsWith(field + ".", StringComparison.Ordinal),
            $"'{reason}' does not name {topic} {field}");
    }

    /// <summary>Applies an accepted record wherever the grid would, checking that each figure moves by exactly this record.</summary>
    private static void ApplyEverywhere(object record, string what)
    {
        switch (record)
        {
            case AppEvent appEvent:
                ApplyActivity(UserActivityMapper.From(appEvent), SilverRows.AppEvents, SilverRows.Of(appEvent), what);
                break;
            case ClickstreamEvent click:
                ApplyActivity(UserActivityMapper.From(click), SilverRows.Clickstream, SilverRows.Of(click), what);
                break;
            case UserProfileEvent profile:
                new UserAggregate().ApplyProfile(profile);
                AssertFitsLake(SilverRows.Users, SilverRows.Of(profile), what);
                break;
            case CdcChange change:
                ApplyChange(change, what);
                break;
            case ExternalEvent:
                break;
            default:
                Assert.Fail($"Unexpected record {record.GetType().Name} for {what}");
                break;
        }
    }

    private static void ApplyActivity(UserActivity activity, string silverTable, object?[] silverRow, string what)
    {
        var user = new UserAggregate();
        Assert.True(user.TryApply(activity, out var windows), what);
        Assert.Equal(1, user.TotalEvents);
        var purchase = activity.EventType == EventTypes.Purchase ? (decimal)(activity.Value ?? 0) : 0m;
        Assert.Equal(purchase, user.PurchaseValue);
        user.Reevaluate(activity.Timestamp, new SegmentRules(), out _);
        _ = user.ToProfile(activity.UserId);
        if (activity.SessionId is not null)
        {
            var session = new SessionAggregate();
            Assert.True(session.Apply(activity), what);
            Assert.Equal(1, session.ToSnapshot(activity.SessionId).Events);
        }

        var accumulator = new KpiAccumulator();
        accumulator.RecordEvent(activity, windows);
        var board = new KpiBoard();
        board.Apply(accumulator.Drain(), Now, new KpiOptions());
        Assert.Equal(1, board.TotalEvents);
        AssertFitsLake(silverTable, silverRow, what);
    }

    private static void ApplyChange(CdcChange change, string what)
    {
        var row = new CdcRow();
        Assert.True(row.Apply(change), what);
        var key = RecordKeys.KeyOf(change);
        var accumulator = new KpiAccumulator();
        if (row.OrderNow(key) is { } order)
        {
            accumulator.RecordOrderChange(null, order);
            var user = new UserAggregate();
            user.ApplyOrder(order);
            Assert.Equal(order.Counts ? order.TotalAmount : 0m, user.TotalRevenue);
        }
        if (row.ItemNow(key) is { } item)
        {
            var parent = new CdcRow();
            parent.ApplyItem(item);
            accumulator.RecordProductChanges(parent.TakeProductChanges(orderCounts: true));
        }
        var board = new KpiBoard();
        board.Apply(accumulator.Drain(), Now, new KpiOptions());
        if (SilverRows.CdcTableOf(change.Source.Table) is { } silverTable)
        {
            AssertFitsLake(silverTable, SilverRows.Of(change, silverTable), what);
        }
    }

    /// <summary>The row can be written to its lake table as it is: nothing emptied, nothing dropped.</summary>
    private static void AssertFitsLake(string table, object?[] row, string what)
    {
        var (rows, rejected) = RowConformer.Conform(PlatformTables.Find(table)!, [row]);
        Assert.True(rejected.Count == 0 && rows.Count == 1, $"{table} cannot hold {what}: {rejected.FirstOrDefault()?.Reason}");
    }
}
