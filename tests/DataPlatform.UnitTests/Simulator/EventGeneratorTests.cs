using DataPlatform.Analytics.Validation;
using DataPlatform.Contracts.Events;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;
using Microsoft.Extensions.Time.Testing;

namespace DataPlatform.UnitTests.Simulator;

public sealed class EventGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    private static List<SimulatedRecord> Generate(int seed, int count, double duplicates = 0.01) =>
        [.. new EventGenerator(new SimulatorOptions { Seed = seed, Users = 200, Rate = 100, DuplicateFraction = duplicates }, Start).Take(count)];

    [Fact]
    public void The_same_seed_gives_the_same_records_byte_for_byte()
    {
        var first = Generate(7, 2_000);
        var second = Generate(7, 2_000);

        Assert.Equal(first.Select(r => Convert.ToBase64String(r.Payload.Span)), second.Select(r => Convert.ToBase64String(r.Payload.Span)));
        Assert.Equal(first.Select(r => r.Key), second.Select(r => r.Key));
    }

    [Fact]
    public void The_same_seed_and_run_id_give_the_same_records_byte_for_byte_whatever_the_start()
    {
        var options = new SimulatorOptions { Seed = 7, Users = 200, Rate = 100, RunId = "demo-1" };

        var first = new EventGenerator(options, Start).Take(2_000).ToList();
        var second = new EventGenerator(options, Start).Take(2_000).ToList();

        Assert.Equal(first.Select(r => Convert.ToBase64String(r.Payload.Span)), second.Select(r => Convert.ToBase64String(r.Payload.Span)));
    }

    [Fact]
    public void Runs_of_the_same_seed_share_the_population_but_never_an_event_session_order_or_payment_id()
    {
        var options = new SimulatorOptions { Seed = 7, Users = 200, Rate = 100 };
        var first = new EventGenerator(options, Start, runId: "run-a").Take(30_000).ToList();
        var second = new EventGenerator(options, Start, runId: "run-b").Take(30_000).ToList();

        var firstIds = IdsOf(first);
        var secondIds = IdsOf(second);
        foreach (var kind in new[] { "event_id", "session_id", "order_id", "order_item_id", "payment_id", "transaction_id" })
        {
            Assert.NotEmpty(firstIds[kind]);
            Assert.Empty(firstIds[kind].Intersect(secondIds[kind]));
        }
        // Within one run every created thing has its own id (duplicates of a record repeat its event id).
        Assert.Equal(first.Where(r => r.Event is AppEvent or ClickstreamEvent).Select(r => Convert.ToBase64String(r.Payload.Span)).Distinct().Count(),
            firstIds["event_id"].Count);
        // The same users and customers (and products), whatever the run.
        Assert.Equal(firstIds["user_id"].Order(StringComparer.Ordinal), secondIds["user_id"].Order(StringComparer.Ordinal));
        Assert.Equal(firstIds["product_id"].Order(StringComparer.Ordinal), secondIds["product_id"].Order(StringComparer.Ordinal));
        Assert.Subset(firstIds["user_id"], firstIds["customer_id"]);
    }

    [Fact]
    public void Without_a_run_id_the_start_names_the_run()
    {
        var options = new SimulatorOptions { Seed = 7, Users = 200, Rate = 100 };

        Assert.Equal(new EventGenerator(options, Start).RunId, new EventGenerator(options, Start).RunId);
        Assert.NotEqual(new EventGenerator(options, Start).RunId, new EventGenerator(options, Start.AddTicks(1)).RunId);
        Assert.Equal("chosen", new EventGenerator(new SimulatorOptions { RunId = "chosen" }, Start).RunId);
    }

    /// <summary>Every id the records carry, by kind (the name of its field).</summary>
    private static Dictionary<string, HashSet<string>> IdsOf(IEnumerable<SimulatedRecord> records)
    {
        var ids = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        void Add(string kind, string? id)
        {
            if (id is not null)
            {
                (ids.TryGetValue(kind, out var set) ? set : ids[kind] = new HashSet<string>(StringComparer.Ordinal)).Add(id);
            }
        }
        foreach (var record in records)
        {
            switch (record.Event)
            {
                case AppEvent app:
                    Add("event_id", app.EventId);
                    Add("session_id", app.SessionId);
                    Add("user_id", app.UserId);
                    break;
                case ClickstreamEvent click:
                    Add("event_id", click.EventId);
                    Add("session_id", click.SessionId);
                    Add("user_id", click.UserId);
                    break;
                case CdcChange { Op: "c" or "r", After: { } row }:
                    foreach (var kind in new[] { "order_id", "order_item_id", "payment_id", "transaction_id", "customer_id", "product_id" })
                    {
                        Add(kind, row.GetValueOrDefault(kind));
                    }
                    break;
            }
        }
        return ids;
    }

    [Fact]
    public void Different_seeds_give_different_records()
    {
        Assert.NotEqual(
            Generate(1, 50).Select(r => Convert.ToBase64String(r.Payload.Span)),
            Generate(2, 50).Select(r => Convert.ToBase64String(r.Payload.Span)));
    }

    [Fact]
    public void Every_record_passes_edge_validation_and_is_keyed_as_the_contract_says()
    {
        var decoder = new EventDecoder(new EdgeValidationOptions(), new FakeTimeProvider(Start.AddHours(1)));

        foreach (var record in Generate(3, 5_000))
        {
            var result = decoder.Decode(record.Topic, record.Payload);
            Assert.True(result.IsValid, $"{record.Topic}: {result.Reason}");
            Assert.Equal(record.Key, RecordKeys.KeyOf(result.Value!));
        }
    }

    [Fact]
    public void Event_time_advances_by_one_over_the_rate_per_record()
    {
        var generator = new EventGenerator(new SimulatorOptions { Seed = 5, Users = 200, Rate = 100, DuplicateFraction = 0 }, Start);
        var records = generator.Take(1_000).ToList();
        var userEventTimes = records.Select(r => r.Event switch
        {
            AppEvent appEvent => (DateTimeOffset?)appEvent.Timestamp,
            ClickstreamEvent click => click.Timestamp,
            _ => null,
        }).OfType<DateTimeOffset>().ToList();

        Assert.Equal(Start.AddSeconds(10), generator.Clock);
        Assert.True(userEventTimes.Zip(userEventTimes.Skip(1)).All(pair => pair.First <= pair.Second));
        Assert.All(userEventTimes, time => Assert.InRange(time, Start, Start.AddSeconds(10)));
    }

    [Fact]
    public void Produces_all_five_topics()
    {
        var topics = Generate(8, 20_000).Select(r => r.Topic).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(Topics.All.Order(StringComparer.Ordinal), topics);
    }

    [Fact]
    public void Web_purchases_become_consistent_orders_items_and_payments()
    {
        var changes = Generate(9, 30_000, duplicates: 0).Select(r => r.Event).OfType<CdcChange>().ToList();
        var created = changes.Where(c => c.Op == "c").ToList();
        var orders = created.Where(c => c.Source.Table == "orders").Select(c => c.After!).ToList();
        var items = created.Where(c => c.Source.Table == "order_items").Select(c => c.After!).ToLookup(row => row["order_id"]);
        var payments = created.Where(c => c.Source.Table == "payments").Select(c => c.After!).ToDictionary(row => row["order_id"]!);
        var customers = created.Where(c => c.Source.Table == "customers").Select(c => c.After!["customer_id"]).ToHashSet();

        Assert.NotEmpty(orders);
        Assert.Equal(100, changes.Count(c => c.Op == "r" && c.Source.Table == "products"));
        foreach (var order in orders)
        {
            var lines = items[order["order_id"]].ToList();
            Assert.NotEmpty(lines);
            var total = decimal.Parse(order["total_amount"]!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(total, lines.Sum(line =>
                decimal.Parse(line["unit_price"]!, System.Globalization.CultureInfo.InvariantCulture)
                * int.Parse(line["quantity"]!, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(order["total_amount"], payments[order["order_id"]!]["amount"]);
            Assert.Contains(order["customer_id"], customers);
        }
    }

    [Fact]
    public void Malformed_records_get_the_reason_they_were_made_for()
    {
        var now = Start.AddMinutes(3);
        var decoder = new EventDecoder(new EdgeValidationOptions(), new FakeTimeProvider(now));
        var options = new SimulatorOptions { Seed = 12, Users = 100, Rate = 1_000, MalformedFraction = 0.05 };
        var malformed = new EventGenerator(options, now).Take(10_000).Where(r => r.IsMalformed).ToList();

        Assert.InRange(malformed.Count, 300, 700);
        Assert.True(malformed.Select(r => r.ExpectedReason).Distinct().Count() >= 5);
        Assert.All(malformed, record => Assert.Equal(record.ExpectedReason, decoder.Decode(record.Topic, record.Payload).Reason));
    }

    [Fact]
    public void Produces_both_topics_funnels_purchases_and_some_duplicates()
    {
        var records = Generate(11, 20_000, duplicates: 0.01);
        var appEvents = records.Select(r => r.Event).OfType<AppEvent>().ToList();
        var userEvents = records.Where(r => r.Event is AppEvent or ClickstreamEvent).ToList();
        var clicks = records.Select(r => r.Event).OfType<ClickstreamEvent>().ToList();
        var duplicates = userEvents.Count - userEvents.Select(r => Convert.ToBase64String(r.Payload.Span)).Distinct().Count();

        Assert.True(appEvents.Count > 1_000 && clicks.Count > 1_000);
        Assert.Contains(appEvents, e => e.EventType == "purchase" && e.Value > 0);
        Assert.Contains(clicks, e => e.Action == "checkout");
        Assert.Contains(appEvents, e => e.EventType == "app_open");
        Assert.Equal(3, appEvents.Select(e => e.AppType).Distinct().Count());
        Assert.InRange(duplicates, 100, 300);
    }
}
