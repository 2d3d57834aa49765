using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using DataPlatform.Cli.Commands;

namespace DataPlatform.Cli;

/// <summary>
/// The <c>dp</c> command line: builds the commands, parses, runs one and maps every outcome to an exit code
/// (<see cref="ExitCodes"/>). Tests call <see cref="RunAsync"/> in-process with captured writers.
/// </summary>
public static class DpCli
{
    public const string Description = """
        dp: the DataPlatform command-line client.
        Talks to a silo's REST API and KPI hub by URL (--url) with an API key (--api-key).
        Exit codes: 0 ok; 1 the server answered an error (its detail is printed);
        2 bad usage; 3 cannot reach the silo; 130 interrupted (Ctrl+C).
        """;

    /// <summary>Every command, with the global options (<c>--url</c>, <c>--api-key</c>) on each.</summary>
    public static RootCommand Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var global = new GlobalOptions(console);
        var root = new RootCommand(Description);
        root.Options.Add(global.Url);
        root.Options.Add(global.ApiKey);
        root.Subcommands.Add(TablesCommand.Create(global, console));
        root.Subcommands.Add(DescribeCommand.Create(global, console));
        root.Subcommands.Add(QueryCommand.Create(global, console));
        root.Subcommands.Add(UserCommand.Create(global, console));
        root.Subcommands.Add(KpisCommand.Create(global, console));
        root.Subcommands.Add(SimulateCommand.Create(console));
        root.Subcommands.Add(KeysCommand.Create(global, console));
        root.Subcommands.Add(VerifyCommand.Create(console));
        return root;
    }

    /// <summary>Parses and runs one command line; returns its exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliConsole console, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var parse = Create(console).Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await console.Error.WriteLineAsync($"error: {error.Message}");
            }
            await console.Error.WriteLineAsync($"Run '{CommandPath(parse)} --help' for usage.");
            return ExitCodes.Usage;
        }
        var invocation = new InvocationConfiguration
        {
            Output = console.Text,
            Error = console.Error,
            // Failures a command expects are CommandFailedExceptions (see CommandRun); anything else is a bug and should say where.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = console.HandlesTermination ? TimeSpan.FromSeconds(2) : null,
        };
        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>The command a parse reached, as typed: <c>dp keys create</c>.</summary>
    public static string CommandPath(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
        {
            names.Add(result.Command is RootCommand ? "dp" : result.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
