using System.CommandLine;

namespace DataPlatform.Cli;

/// <summary>Runs a command's action so that every expected failure ends as a printed sentence and its exit code.</summary>
public static class CommandRun
{
    /// <summary>Sets <paramref name="action"/> as the command's action; a <see cref="CommandFailedException"/> prints <c>error: ...</c> and exits with its code.</summary>
    public static Command WithAction(this Command command, CliConsole console, Func<ParseResult, CancellationToken, Task<int>> action)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(action);
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (CommandFailedException failure)
            {
                await console.Error.WriteLineAsync($"error: {failure.Message}");
                if (failure.ExitCode == ExitCodes.Usage)
                {
                    await console.Error.WriteLineAsync($"Run '{DpCli.CommandPath(parse)} --help' for usage.");
                }
                return failure.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync("interrupted.");
                return ExitCodes.Interrupted;
            }
        });
        return command;
    }
}
