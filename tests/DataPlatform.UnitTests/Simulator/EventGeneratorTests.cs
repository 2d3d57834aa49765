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
    public void Different_seeds_give_different_records()
    {
        Assert.NotEqual(
            Generate(1, 50).Select(r => Convert.ToBase64String(r.Payload.Span)),
            Generate(2, 50).Select(r => Convert.ToBase64String(r.Payload.Span)));
    }

    [Fact]
    public void Every_record_passes_edge_validation_and_is_keyed_by_its_user()
    {
        var decoder = new EventDecoder(new EdgeValidationOptions(), new FakeTimeProvider(Start.AddHours(1)));

        foreach (var record in Generate(3, 5_000))
        {
            var result = decoder.Decode(record.Topic, record.Payload);
            Assert.True(result.IsValid, $"{record.Topic}: {result.Reason}");
            var userId = result.Value switch
            {
                AppEvent appEvent => appEvent.UserId,
                ClickstreamEvent click => click.UserId,
                _ => throw new InvalidOperationException("unexpected record type"),
            };
            Assert.Equal(record.Key, userId);
        }
    }

    [Fact]
    public void Event_time_advances_by_one_over_the_rate_per_record()
    {
        var records = Generate(5, 1_001, duplicates: 0);
        var times = records.Select(r => r.Event switch
        {
            AppEvent appEvent => appEvent.Timestamp,
            ClickstreamEvent click => click.Timestamp,
            _ => throw new InvalidOperationException("unexpected record type"),
        }).ToList();

        Assert.Equal(Start, times[0]);
        Assert.Equal(Start.AddSeconds(10), times[^1]);
        Assert.True(times.Zip(times.Skip(1)).All(pair => pair.First <= pair.Second));
    }

    [Fact]
    public void Produces_both_topics_funnels_purchases_and_some_duplicates()
    {
        var records = Generate(11, 20_000, duplicates: 0.01);
        var appEvents = records.Select(r => r.Event).OfType<AppEvent>().ToList();
        var clicks = records.Select(r => r.Event).OfType<ClickstreamEvent>().ToList();
        var duplicates = records.Count - records.Select(r => Convert.ToBase64String(r.Payload.Span)).Distinct().Count();

        Assert.True(appEvents.Count > 1_000 && clicks.Count > 1_000);
        Assert.Contains(appEvents, e => e.EventType == "purchase" && e.Value > 0);
        Assert.Contains(clicks, e => e.Action == "checkout");
        Assert.Contains(appEvents, e => e.EventType == "app_open");
        Assert.Equal(3, appEvents.Select(e => e.AppType).Distinct().Count());
        Assert.InRange(duplicates, 100, 300);
    }
}
