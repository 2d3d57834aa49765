using DataPlatform.Simulator;
using DataPlatform.Simulator.Running;
using Microsoft.Extensions.Options;

namespace DataPlatform.Silo.Simulation;

/// <summary>
/// Runs the simulator inside the silo once the host has started (the embedded default). It produces to
/// Kafka like any external producer, so its records take the same path as everyone else's.
/// </summary>
public sealed partial class InProcessSimulator(
    IOptions<SimulatorOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<InProcessSimulator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled || settings.BootstrapServers is not { Length: > 0 } bootstrap)
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
        var runner = new SimulatorRunner(settings, sink, clock);
        LogStarting(logger, settings.Rate, settings.Users, settings.Seed, runner.RunId, bootstrap);
        var sent = await runner.RunAsync(stoppingToken);
        await sink.FlushAsync(CancellationToken.None);
        LogStopped(logger, sent, sink.Delivered, sink.Failed);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator running: {Rate} records/s from {Users} users (seed {Seed}, run {RunId}) into Kafka at {Bootstrap}")]
    private static partial void LogStarting(ILogger logger, double rate, int users, int seed, string runId, string bootstrap);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator stopped after {Sent} records ({Delivered} delivered, {Failed} failed)")]
    private static partial void LogStopped(ILogger logger, long sent, long delivered, long failed);
}
