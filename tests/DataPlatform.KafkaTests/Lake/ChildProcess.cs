using System.Diagnostics;

namespace DataPlatform.KafkaTests.Lake;

/// <summary>Runs one of the platform's programs from the test's output directory as a process of its own.</summary>
public static class ChildProcess
{
    public static Process Start(string assembly, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {assembly}");
    }

    /// <summary>Runs to completion and returns the exit code and standard output.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string assembly, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Start(assembly, arguments);
        using var cancel = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(cancel.Token);
        var errors = process.StandardError.ReadToEndAsync(cancel.Token);
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, await output, await errors);
    }
}
