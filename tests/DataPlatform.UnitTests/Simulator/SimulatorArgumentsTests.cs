using DataPlatform.Simulator;

namespace DataPlatform.UnitTests.Simulator;

public sealed class SimulatorArgumentsTests
{
    [Fact]
    public void Parses_every_option()
    {
        var (options, error) = SimulatorArguments.Parse(
            ["--seed", "9", "--rate", "50.5", "--count", "1000", "--duration", "2m", "--users", "30",
             "--sessions", "5", "--duplicates", "0.1", "--start", "2026-11-20T10:00:00Z", "--run", "demo-3"]);

        Assert.Null(error);
        Assert.NotNull(options);
        Assert.Equal(9, options.Seed);
        Assert.Equal(50.5, options.Rate);
        Assert.Equal(1000, options.Count);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Duration);
        Assert.Equal(30, options.Users);
        Assert.Equal(5, options.ConcurrentSessions);
        Assert.Equal(0.1, options.DuplicateFraction);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero), options.Start);
        Assert.Equal("demo-3", options.RunId);
    }

    [Theory]
    [InlineData(new[] { "--rate", "0" }, "Invalid value '0' for --rate.")]
    [InlineData(new[] { "--rate", "fast" }, "Invalid value 'fast' for --rate.")]
    [InlineData(new[] { "--count", "-5" }, "Invalid value '-5' for --count.")]
    [InlineData(new[] { "--duplicates", "1.5" }, "Invalid value '1.5' for --duplicates.")]
    [InlineData(new[] { "--seed" }, "--seed needs a value.")]
    [InlineData(new[] { "--speed", "3" }, "Unknown option '--speed'.")]
    public void Rejects_bad_arguments_with_a_message(string[] args, string message)
    {
        var (options, error) = SimulatorArguments.Parse(args);

        Assert.Null(options);
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("1.5m", 90)]
    [InlineData("1h", 3600)]
    [InlineData("00:00:45", 45)]
    public void Reads_durations(string text, int seconds)
    {
        Assert.True(SimulatorArguments.TryDuration(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Fact]
    public void Help_returns_the_usage() => Assert.Equal(SimulatorArguments.Usage, SimulatorArguments.Parse(["--help"]).Error);
}
