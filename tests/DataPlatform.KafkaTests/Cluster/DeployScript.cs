using System.Diagnostics;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>Runs a script of deploy/scripts from the repository root, as an operator would.</summary>
public static class DeployScript
{
    /// <summary>Runs the script with these environment variables; returns its output, or throws with its errors when it fails.</summary>
    public static async Task<string> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        using var process = Start(Path.Combine(PostgresServer.RepositoryRoot, "deploy", "scripts", script), arguments, environment, redirectInput: false);
        return await WaitAsync(process, $"{script} {string.Join(' ', arguments)}", timeout);
    }

    /// <summary>
    /// Starts bash, which waits for a line on its input and then runs the script in itself (sourced: no process to
    /// start any more), so that the script runs the moment <see cref="Ready.RunAsync"/> is called.
    /// </summary>
    public static Ready Prepare(string script, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var path = Path.Combine(PostgresServer.RepositoryRoot, "deploy", "scripts", script);
        return new Ready(Start("-c", ["read -r _ && . \"$0\" \"$@\"", path, .. arguments], environment, redirectInput: true), $"{script} {string.Join(' ', arguments)}", timeout);
    }

    private static Process Start(string first, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, bool redirectInput)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = PostgresServer.RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
        };
        start.ArgumentList.Add(first);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"could not start bash {first}");
    }

    private static async Task<string> WaitAsync(Process process, string command, TimeSpan timeout)
    {
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not end within {timeout}.");
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} exited with {process.ExitCode}: {await errors}{await output}");
        }
        return await output;
    }

    /// <summary>A script started ahead by <see cref="Prepare"/>, waiting to run; disposing it without running ends it.</summary>
    public sealed class Ready(Process process, string command, TimeSpan timeout) : IDisposable
    {
        /// <summary>Lets the script run now; returns its output, or throws with its errors when it fails.</summary>
        public async Task<string> RunAsync()
        {
            await process.StandardInput.WriteLineAsync();
            await process.StandardInput.FlushAsync();
            return await WaitAsync(process, command, timeout);
        }

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            process.Dispose();
        }
    }
}
