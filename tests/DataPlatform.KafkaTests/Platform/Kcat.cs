using System.Diagnostics;

namespace DataPlatform.KafkaTests.Platform;

/// <summary>Runs Debian's kcat as a producer: one "key|json" line per record.</summary>
public static class Kcat
{
    public const string Path = "/usr/bin/kcat";

    public static async Task ProduceAsync(string bootstrapServers, string topic, IEnumerable<string> keyedLines)
    {
        Assert.True(File.Exists(Path), $"{Path} is missing: run ./test.sh, which installs Debian's kcat");
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-b", bootstrapServers, "-P", "-t", topic, "-K", "|" })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        foreach (var line in keyedLines)
        {
            await process.StandardInput.WriteLineAsync(line);
        }
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"kcat failed: {await process.StandardError.ReadToEndAsync(timeout.Token)}");
    }
}
