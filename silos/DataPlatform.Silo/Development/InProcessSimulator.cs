using DataPlatform.Simulator;
using DataPlatform.Streaming.Kafka;
using DataPlatform.Simulator.Running;
using Microsoft.Extensions.Options;

namespace DataPlatform.Silo.Development;

/// <summary>
/// Runs the simulator inside the silo once the host has started; <see cref="DevelopmentProfile"/> adds it
/// when the simulator is on. It produces to the Kafka the silo reads like any external producer, so its
/// records take the same path as everyone else's, and waits while a partition this silo reads is far
/// behind, so Kafka never drops its records unread.
/// </summary>
public sealed partial class InProcessSimulator(
    IOptions<SimulatorOptions> options,
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    TimeProvider clock,
    ILogger<InProcessSimulator> logger) : BackgroundService
{
    /// <summary>
    /// The most records one partition read by this silo may fall behind before the simulator waits. The
    /// embedded Kafka keeps about 5 MiB per partition (some 13,000 simulated records) and drops older ones
    /// unread; this stays well inside it.
    /// </summary>
    public const long MaxPartitionBacklog = 5_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.BootstrapServers is not { Length: > 0 } bootstrap)
        {
            return;
        }
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            try
            {
                await started.Task;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        await using var sink = new KafkaRecordSink(bootstrap);
        var statistics = services.GetService<KafkaStreamStatistics>();
        var paced = new BacklogPacedSink(sink, () => LargestBacklog(statistics), MaxPartitionBacklog, clock);
        var runner = new SimulatorRunner(settings, paced, clock);
        LogStarting(logger, settings.Rate, settings.Users, settings.Seed, runner.RunId, bootstrap);
        var sent = await runner.RunAsync(stoppingToken);
        await sink.FlushAsync(CancellationToken.None);
        LogStopped(logger, sent, sink.Delivered, sink.Failed, paced.Waits);
    }

    private static long LargestBacklog(KafkaStreamStatistics? statistics) =>
        statistics?.Partitions.Where(partition => partition.Owned).Select(partition => partition.Lag).DefaultIfEmpty(0).Max() ?? 0;

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator running: {Rate} records/s from {Users} users (seed {Seed}, run {RunId}) into Kafka at {Bootstrap}")]
    private static partial void LogStarting(ILogger logger, double rate, int users, int seed, string runId, string bootstrap);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator stopped after {Sent} records ({Delivered} delivered, {Failed} failed; {Waits} time(s) it waited for the consumers)")]
    private static partial void LogStopped(ILogger logger, long sent, long delivered, long failed, long waits);
}
