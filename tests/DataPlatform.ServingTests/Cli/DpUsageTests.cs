using System.Globalization;

namespace DataPlatform.ServingTests.Cli;

/// <summary><c>dp</c> without a silo: help, bad usage (exit code 2) and addresses where nothing answers (exit code 3).</summary>
public sealed class DpUsageTests
{
    public static TheoryData<string[], string> BadUsage => new()
    {
        { [], "Run 'dp --help'" },
        { ["frobnicate"], "frobnicate" },
        { ["tables", "--format", "xml"], "xml" },
        { ["query"], "Run 'dp query --help'" },
        { ["query", "SELECT 1", "--limit", "0"], "--limit must be from 1 to 10000" },
        { ["--url", "not-a-url", "tables"], "--url must be" },
        { ["--url", "ftp://127.0.0.1/", "tables"], "--url must be" },
        { ["keys", "create", "--name", "someone"], "--role" },
        { ["keys", "create", "--name", "someone", "--role", "owner"], "owner" },
        { ["kpis", "--count", "2"], "--count only applies with --watch" },
        { ["user", "--format", "csv", "someone"], "csv" },
        { ["simulate", "--duration", "soon"], "--duration must be like" },
        { ["simulate", "--malformed", "1.5"], "--malformed must be a fraction" },
        { ["verify", "--root", "/no/such/lake/anywhere"], "there is no lake at" },
    };

    [Theory]
    [MemberData(nameof(BadUsage))]
    public async Task Bad_usage_exits_2_and_says_what_is_wrong(string[] args, string said)
    {
        var run = await DpRun.RunAsync(args);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(said, run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Help_lists_every_command_and_the_exit_codes()
    {
        var run = await DpRun.RunAsync(["--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var command in new[] { "tables", "describe", "query", "user", "kpis", "simulate", "keys", "verify" })
        {
            Assert.Contains(command, run.Output);
        }
        Assert.Contains("--url", run.Output);
        Assert.Contains("--api-key", run.Output);
        Assert.Contains("3 cannot reach the silo", run.Output);
    }

    [Theory]
    [InlineData("query", "--limit")]
    [InlineData("kpis", "--watch")]
    [InlineData("simulate", "--bootstrap")]
    [InlineData("verify", "--root")]
    public async Task Each_command_has_help_with_its_options_and_the_global_ones(string command, string option)
    {
        var run = await DpRun.RunAsync([command, "--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(option, run.Output);
        Assert.Contains("--url", run.Output);
    }

    [Fact]
    public async Task Keys_help_lists_its_subcommands()
    {
        var run = await DpRun.RunAsync(["keys", "--help"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var subcommand in new[] { "list", "show", "create", "revoke" })
        {
            Assert.Contains(subcommand, run.Output);
        }
    }

    [Theory]
    [InlineData("tables", false)]
    [InlineData("kpis", true)]
    public async Task An_address_where_nothing_listens_exits_3(string command, bool watch)
    {
        var url = $"http://127.0.0.1:{RunningPlatform.FreePort().ToString(CultureInfo.InvariantCulture)}";

        var run = await DpRun.RunAsync(["--url", url, command, .. watch ? new[] { "--watch" } : []]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("cannot reach", run.Error);
    }

    [Fact]
    public async Task A_kafka_bootstrap_where_nothing_listens_exits_3()
    {
        var bootstrap = $"127.0.0.1:{RunningPlatform.FreePort().ToString(CultureInfo.InvariantCulture)}";

        var run = await DpRun.RunAsync(["simulate", "--bootstrap", bootstrap, "--count", "10"]);

        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains($"cannot reach Kafka at {bootstrap}", run.Error);
    }
}
