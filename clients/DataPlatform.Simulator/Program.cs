using DataPlatform.Simulator;
using DataPlatform.Simulator.Running;

var (options, error) = SimulatorArguments.Parse(args);
if (options is null)
{
    var isHelp = error == SimulatorArguments.Usage;
    await (isHelp ? Console.Out : Console.Error).WriteLineAsync(isHelp ? error : $"{error}\n\n{SimulatorArguments.Usage}");
    return isHelp ? 0 : 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

if (options.BootstrapServers is { } bootstrap)
{
    await using var kafka = new KafkaRecordSink(bootstrap);
    var runner = new SimulatorRunner(options, kafka, TimeProvider.System);
    var produced = await runner.RunAsync(cancellation.Token);
    await kafka.FlushAsync(CancellationToken.None);
    await Console.Error.WriteLineAsync($"{produced} records of run {runner.RunId} sent to {bootstrap}: {kafka.Delivered} delivered, {kafka.Failed} failed{(kafka.LastError is { } last ? $" ({last})" : "")}.");
    return kafka.Failed == 0 ? 0 : 1;
}

await using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
var linesRunner = new SimulatorRunner(options, new JsonLinesSink(output), TimeProvider.System);
var sent = await linesRunner.RunAsync(cancellation.Token);
await output.FlushAsync(CancellationToken.None);
await Console.Error.WriteLineAsync($"{sent} records of run {linesRunner.RunId} sent.");
return 0;
