namespace DataPlatform.Silo.Development;

/// <summary>
/// Holds the embedded Kafka for the host's lifetime. The broker is a container singleton, so it is
/// disposed with the container, after the silo has stopped and committed its offsets.
/// </summary>
public sealed partial class EmbeddedKafkaLifetime(EmbeddedKafka.EmbeddedKafka kafka, ILogger<EmbeddedKafkaLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogRunning(logger, kafka.BootstrapServers);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded Kafka running at {BootstrapServers} (kcat -b {BootstrapServers} -L)")]
    private static partial void LogRunning(ILogger logger, string bootstrapServers);
}
