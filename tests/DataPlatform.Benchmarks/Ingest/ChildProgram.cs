using System.Diagnostics;

namespace DataPlatform.Benchmarks.Ingest;

/// <summary>
/// One of the platform's programs from this build's output directory (the silo, the embedded Kafka) running
/// as a process of its own with its own runtime settings, its output going to a log file. Killed when disposed.
/// </summary>
public sealed class ChildProgram : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProgram(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    /// <summary>Where its standard output and error go.</summary>
    public string LogPath { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time the process has used so far, all its threads.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The process's resident memory now (its working set: resident pages on Linux).</summary>
    public long ResidentBytes
    {
        get
        {
            _process.Refresh();
            return _process.WorkingSet64;
        }
    }

    /// <summary>Starts <c>dotnet {assembly} {arguments}</c> in <paramref name="workingDirectory"/>, its output into <paramref name="logPath"/>.</summary>
    public static ChildProgram Start(string assembly, IEnumerable<string> arguments, string workingDirectory, string logPath)
    {
        // The shell sends the output to the log and becomes dotnet: the process id is the program's own, and
        // no pipe to this process can fill up and stall it.
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in (string[])["-c", "exec \"$@\" >\"$0\" 2>&1", logPath, "dotnet", Path.Combine(AppContext.BaseDirectory, assembly), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        return new ChildProgram(Process.Start(start) ?? throw new InvalidOperationException($"could not start {assembly}"), logPath);
    }

    /// <summary>Waits until a line of the log starts with <paramref name="prefix"/>; fails when the process ends first or the wait times out.</summary>
    public async Task WaitForLogLineAsync(string prefix, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (!ReadLog().Split('\n').Any(line => line.StartsWith(prefix, StringComparison.Ordinal)))
        {
            EnsureRunning(deadline.Elapsed, timeout, $"a log line starting with '{prefix}'");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Throws, with the end of the log, when the process has ended or <paramref name="waited"/> passed <paramref name="timeout"/>.</summary>
    public void EnsureRunning(TimeSpan waited, TimeSpan timeout, string awaited)
    {
        if (HasExited)
        {
            throw new InvalidOperationException($"{LogPath}: the process ended (exit code {_process.ExitCode}) while waiting for {awaited}:\n{LogTail()}");
        }
        if (waited > timeout)
        {
            throw new TimeoutException($"{LogPath}: no {awaited} within {timeout.TotalSeconds:0} s:\n{LogTail()}");
        }
    }

    /// <summary>The last lines of the log.</summary>
    public string LogTail(int lines = 30) => string.Join('\n', ReadLog().Split('\n').TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }
}
