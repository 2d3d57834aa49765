using System.ComponentModel;
using System.Diagnostics;

namespace DataPlatform.UnitTests.Deployment;

/// <summary>
/// Debian's <c>docker-compose</c> (v1.29), which validates a compose file against the Compose schema without a
/// Docker engine. test.sh installs it; a machine without it fails the tests that need it, never skips them.
/// </summary>
internal static class DockerComposeTool
{
    public const string Command = "docker-compose";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>Runs <c>docker-compose -f FILE --project-directory ROOT config</c>: exit code, normalised file, errors.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> ConfigAsync(string file)
    {
        var start = new ProcessStartInfo(Command, ["-f", file, "--project-directory", RepositoryFiles.Root, "config"])
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{Command} did not start.");
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"{Command} is not installed, so {ComposeFile.FileName} cannot be validated: install Debian's docker-compose package "
                + "(apt-get install docker-compose; test.sh does this when it is missing).", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await output, await errors);
        }
    }
}
