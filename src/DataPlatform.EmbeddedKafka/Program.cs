using System.Globalization;
using DataPlatform.EmbeddedKafka;

// Standalone embedded Kafka: dotnet run --project src/DataPlatform.EmbeddedKafka -- --port 19092 --topic events:8
var options = new EmbeddedKafkaOptions { Port = EmbeddedKafkaOptions.DefaultPort };
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--port" when int.TryParse(value, CultureInfo.InvariantCulture, out var port) && port >= 0:
            options.Port = port;
            i++;
            break;
        case "--brokers" when int.TryParse(value, CultureInfo.InvariantCulture, out var brokers) && brokers > 0:
            options.Brokers = brokers;
            i++;
            break;
        case "--topic" when value is not null && TopicArgument.TryParse(value, out var topic, out var partitions):
            options.Topics[topic] = partitions;
            i++;
            break;
        default:
            await Console.Error.WriteLineAsync($"""
                Unknown or invalid argument '{args[i]}'.
                Usage: DataPlatform.EmbeddedKafka [--port 19092] [--brokers 1] [--topic name[:partitions]]...
                  --port 0 keeps random ports; --topic may be repeated (default 8 partitions).
                """);
            return 2;
    }
}

await using var kafka = EmbeddedKafka.Start(options);
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stopping.Cancel();
Console.WriteLine($"Embedded Kafka ready at {kafka.BootstrapServers} ({options.Brokers} broker(s), topics: {string.Join(", ", options.Topics.Select(t => $"{t.Key}:{t.Value}"))})");
try
{
    await Task.Delay(Timeout.Infinite, stopping.Token);
}
catch (OperationCanceledException)
{
    Console.WriteLine("Embedded Kafka stopped.");
}
return 0;
