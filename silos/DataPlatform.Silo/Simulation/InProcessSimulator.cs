using DataPlatform.Grains.Ingestion;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Running;
using Microsoft.Extensions.Options;

namespace DataPlatform.Silo.Simulation;

/// <summary>Runs the simulator inside the silo once the host has started (the embedded default).</summary>
public sealed partial class InProcessSimulator(
    IOptions<SimulatorOptions> options,
    StreamIngestor ingestor,
    IHostApplicationLifetime lifetime,
    TimeProvider clock,
    ILogger<InProcessSimulator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }
        // The silo and its stream agents are running once the host reports started.
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

        LogStarting(logger, settings.Rate, settings.Users, settings.Seed);
        var sent = await new SimulatorRunner(settings, new IngestingRecordSink(ingestor), clock).RunAsync(stoppingToken);
        LogStopped(logger, sent);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator running: {Rate} records/s from {Users} users (seed {Seed})")]
    private static partial void LogStarting(ILogger logger, double rate, int users, int seed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulator stopped after {Sent} records")]
    private static partial void LogStopped(ILogger logger, long sent);
}
