using System.Diagnostics;

namespace DataPlatform.KafkaTests.Platform;

/// <summary>The embedded Kafka started as its own process, the way kcat and other programs reach it.</summary>
public sealed class EmbeddedKafkaProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EmbeddedKafkaProcess(Process process, int port)
    {
        _process = process;
        BootstrapServers = $"127.0.0.1:{port}";
    }

    public string BootstrapServers { get; }

    public static async Task<EmbeddedKafkaProcess> StartAsync(IEnumerable<string> topics)
    {
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DataPlatform.EmbeddedKafka.dll"));
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var topic in topics)
        {
            start.ArgumentList.Add("--topic");
            start.ArgumentList.Add(topic);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the embedded Kafka process");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null || !line.StartsWith("Embedded Kafka ready", StringComparison.Ordinal))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"embedded Kafka did not start: {line} {await process.StandardError.ReadToEndAsync(timeout.Token)}");
        }
        return new EmbeddedKafkaProcess(process, port);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
