using DataPlatform.Contracts.Events;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Generation;
using DataPlatform.Simulator.Running;

namespace DataPlatform.UnitTests.Simulator;

public sealed class SimulatorRunnerTests
{
    private sealed class ListSink : IRecordSink
    {
        public List<SimulatedRecord> Records { get; } = [];

        public ValueTask SendAsync(SimulatedRecord record, CancellationToken cancellationToken)
        {
            Records.Add(record);
            return ValueTask.CompletedTask;
        }
    }

    private static readonly DateTimeOffset Start = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Sends_exactly_count_records_in_generator_order()
    {
        var options = new SimulatorOptions { Seed = 4, Rate = 1_000_000, Count = 2_500, Start = Start };
        var sink = new ListSink();

        var sent = await new SimulatorRunner(options, sink, TimeProvider.System).RunAsync(CancellationToken.None);

        Assert.Equal(2_500, sent);
        var expected = new EventGenerator(options, Start).Take(2_500).Select(r => Convert.ToBase64String(r.Payload.Span));
        Assert.Equal(expected, sink.Records.Select(r => Convert.ToBase64String(r.Payload.Span)));
    }

    [Fact]
    public async Task Runs_without_a_start_never_repeat_an_earlier_runs_ids()
    {
        var options = new SimulatorOptions { Seed = 4, Rate = 1_000_000, Count = 2_000 };
        var first = new ListSink();
        var second = new ListSink();

        var firstRun = new SimulatorRunner(options, first, TimeProvider.System);
        var secondRun = new SimulatorRunner(options, second, TimeProvider.System);
        await firstRun.RunAsync(CancellationToken.None);
        await secondRun.RunAsync(CancellationToken.None);

        Assert.NotEqual(firstRun.RunId, secondRun.RunId);
        Assert.Empty(EventIdsOf(first).Intersect(EventIdsOf(second)));
    }

    [Fact]
    public void A_run_with_a_start_is_named_by_it_unless_given_a_run_id()
    {
        Assert.Equal(EventGenerator.RunIdOf(Start), new SimulatorRunner(new SimulatorOptions { Start = Start }, new ListSink(), TimeProvider.System).RunId);
        Assert.Equal("mine", new SimulatorRunner(new SimulatorOptions { Start = Start, RunId = "mine" }, new ListSink(), TimeProvider.System).RunId);
    }

    private static IEnumerable<string> EventIdsOf(ListSink sink) =>
        sink.Records.Select(r => r.Event switch
        {
            AppEvent app => app.EventId,
            ClickstreamEvent click => click.EventId,
            _ => null,
        }).OfType<string>();

    [Fact]
    public async Task Stops_when_cancelled_and_reports_what_it_sent()
    {
        var options = new SimulatorOptions { Rate = 50, Start = Start };
        var sink = new ListSink();
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var sent = await new SimulatorRunner(options, sink, TimeProvider.System).RunAsync(cancellation.Token);

        Assert.Equal(0, sent);
        Assert.Empty(sink.Records);
    }
}
