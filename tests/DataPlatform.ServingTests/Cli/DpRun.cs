using System.Globalization;
using DataPlatform.Cli;

namespace DataPlatform.ServingTests.Cli;

/// <summary>One run of <c>dp</c> in this process: its exit code and what it wrote to standard output and error.</summary>
public sealed record DpRun(int ExitCode, string Output, string Error)
{
    /// <summary>Longer than any command of these tests takes; a run cut short fails its assertions instead of hanging.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static async Task<DpRun> RunAsync(IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        using var timeout = new CancellationTokenSource(Timeout);
        var exitCode = await DpCli.RunAsync(args, CliConsole.ForWriters(output, error, environment), timeout.Token);
        return new DpRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The output's lines, without the empty ones (CSV lines end in CRLF).</summary>
    public IReadOnlyList<string> Lines => Output.Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit code {ExitCode}\n--- standard output\n{Output}\n--- standard error\n{Error}";
}
