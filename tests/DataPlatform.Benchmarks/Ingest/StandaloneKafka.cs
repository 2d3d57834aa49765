using System.Globalization;
using DataPlatform.Contracts.Events;

namespace DataPlatform.Benchmarks.Ingest;

/// <summary>The embedded Kafka as a process of its own on a free port, with the five topics of <c>partitions</c> partitions.</summary>
public static class StandaloneKafka
{
    public static async Task<(ChildProgram Kafka, string BootstrapServers)> StartAsync(string directory, int partitions)
    {
        var port = LoopbackPorts.Next().ToString(CultureInfo.InvariantCulture);
        string[] topics = [.. Topics.All.SelectMany(topic => (string[])["--topic", $"{topic}:{partitions}"])];
        var kafka = ChildProgram.Start("DataPlatform.EmbeddedKafka.dll", ["--port", port, .. topics], directory, Path.Combine(directory, "kafka.log"));
        try
        {
            await kafka.WaitForLogLineAsync("Embedded Kafka ready", TimeSpan.FromMinutes(1));
        }
        catch
        {
            await kafka.DisposeAsync();
            throw;
        }
        return (kafka, $"127.0.0.1:{port}");
    }
}
