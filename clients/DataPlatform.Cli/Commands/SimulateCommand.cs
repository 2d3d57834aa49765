using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using DataPlatform.Simulator;
using DataPlatform.Simulator.Running;
using Spectre.Console;

namespace DataPlatform.Cli.Commands;

/// <summary>
/// <c>dp simulate --bootstrap B --count N</c>: the simulator (<see cref="SimulatorRunner"/> into a
/// <see cref="KafkaRecordSink"/>) against a Kafka bootstrap, with a progress bar of the confirmed deliveries.
/// </summary>
public static class SimulateCommand
{
    public const string DefaultBootstrap = "127.0.0.1:19092";
    public const string BootstrapVariable = "DP_KAFKA_BOOTSTRAP";

    /// <summary>How long the brokers may take to answer before the command says it cannot reach them.</summary>
    public static readonly TimeSpan ReachTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(200);

    public static Command Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var bootstrap = new Option<string>("--bootstrap", "-b")
        {
            Description = $"Kafka bootstrap servers (the silo's embedded Kafka listens on {DefaultBootstrap}) [env {BootstrapVariable}]",
            DefaultValueFactory = _ => console.Environment(BootstrapVariable) is { Length: > 0 } servers ? servers : DefaultBootstrap,
        };
        var count = Positive(new Option<long?>("--count", "-n") { Description = "stop after this many records" });
        var duration = new Option<string?>("--duration", "-d") { Description = "stop after this long: 30s, 5m, 1h or 00:05:00" };
        duration.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text && !SimulatorArguments.TryDuration(text, out _))
            {
                result.AddError($"--duration must be like 30s, 5m, 1h or 00:05:00 (got '{text}').");
            }
        });
        var rate = new Option<double>("--rate", "-r") { Description = "records per second", DefaultValueFactory = _ => SimulatorOptions.DefaultRate };
        rate.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var value && (!double.IsFinite(value) || value <= 0))
            {
                result.AddError("--rate must be a number of records per second above 0.");
            }
        });
        var users = Positive(new Option<int>("--users") { Description = "size of the simulated population", DefaultValueFactory = _ => SimulatorOptions.DefaultUsers });
        var sessions = Positive(new Option<int>("--sessions") { Description = "sessions in progress at once", DefaultValueFactory = _ => SimulatorOptions.DefaultConcurrentSessions });
        var seed = new Option<int>("--seed") { Description = "random seed: the same seed, --start and --run give the same records", DefaultValueFactory = _ => SimulatorOptions.DefaultSeed };
        var run = new Option<string?>("--run") { Description = "run id that event, session and order ids derive from (default: from --start when given, else new)" };
        var start = new Option<DateTimeOffset?>("--start") { Description = "event time of the first record, ISO-8601 (default: now)" };
        var duplicates = Fraction(new Option<double>("--duplicates") { Description = "fraction of records sent twice, as a producer retry would", DefaultValueFactory = _ => SimulatorOptions.DefaultDuplicateFraction });
        var malformed = Fraction(new Option<double>("--malformed") { Description = "fraction of records that break an edge rule (they become dead letters)" });
        var ruleBreaking = Fraction(new Option<double>("--rule-breaking") { Description = "fraction of orders and customers that break a data-quality rule" });
        var command = new Command("simulate", "Send simulated users' app events, clickstream, profiles and shop changes to Kafka, with a progress bar. Runs until --count or --duration, or Ctrl+C.")
        {
            bootstrap, count, duration, rate, users, sessions, seed, run, start, duplicates, malformed, ruleBreaking,
        };
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            TimeSpan? until = parse.GetValue(duration) is { } text && SimulatorArguments.TryDuration(text, out var span) ? span : null;
            var options = new SimulatorOptions
            {
                BootstrapServers = parse.GetValue(bootstrap),
                Count = parse.GetValue(count),
                Duration = until,
                Rate = parse.GetValue(rate),
                Users = parse.GetValue(users),
                ConcurrentSessions = parse.GetValue(sessions),
                Seed = parse.GetValue(seed),
                RunId = parse.GetValue(run),
                Start = parse.GetValue(start),
                DuplicateFraction = parse.GetValue(duplicates),
                MalformedFraction = parse.GetValue(malformed),
                RuleBreakingFraction = parse.GetValue(ruleBreaking),
            };
            var servers = options.BootstrapServers ?? DefaultBootstrap;
            await EnsureReachableAsync(servers, cancellationToken);
            await using var kafka = new KafkaRecordSink(servers);
            var runner = new SimulatorRunner(options, kafka, TimeProvider.System);
            var produced = await RunWithProgressAsync(console, runner, kafka, options, cancellationToken);
            await kafka.FlushAsync(CancellationToken.None);
            var summary = string.Create(CultureInfo.InvariantCulture,
                $"{produced} records of run {runner.RunId} sent to {servers}: {kafka.Delivered} delivered, {kafka.Failed} failed.");
            console.Out.WriteLine(summary);
            if (kafka.Failed > 0)
            {
                throw new CommandFailedException(ExitCodes.ServerError, $"{kafka.Failed} records were not delivered: {kafka.LastError}");
            }
            return ExitCodes.Ok;
        });
    }

    private static async Task<long> RunWithProgressAsync(
        CliConsole console, SimulatorRunner runner, KafkaRecordSink kafka, SimulatorOptions options, CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.StartNew();
        return await console.Out.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                // The bar follows confirmed deliveries against --count, else the time against --duration.
                var task = progress.AddTask("records delivered", autoStart: true,
                    maxValue: options.Count ?? options.Duration?.TotalSeconds ?? 1);
                task.IsIndeterminate = options.Count is null && options.Duration is null;
                var running = runner.RunAsync(cancellationToken);
                while (!running.IsCompleted)
                {
                    await Task.WhenAny(running, Task.Delay(ProgressInterval, CancellationToken.None));
                    Update(task, kafka, options, elapsed.Elapsed);
                }
                var produced = await running;
                await kafka.FlushAsync(CancellationToken.None);
                Update(task, kafka, options, elapsed.Elapsed);
                task.Value = task.MaxValue;
                task.StopTask();
                return produced;
            });
    }

    private static void Update(ProgressTask task, KafkaRecordSink kafka, SimulatorOptions options, TimeSpan elapsed)
    {
        var done = kafka.Delivered + kafka.Failed;
        task.Description = string.Create(CultureInfo.InvariantCulture, $"{kafka.Delivered} delivered, {kafka.Failed} failed");
        if (options.Count is not null)
        {
            task.Value = Math.Min(done, task.MaxValue);
        }
        else if (options.Duration is not null)
        {
            task.Value = Math.Min(elapsed.TotalSeconds, task.MaxValue);
        }
    }

    /// <summary>Asks the cluster for its metadata, so that a wrong address ends with exit code 3 instead of records that wait for a broker.</summary>
    private static async Task EnsureReachableAsync(string servers, CancellationToken cancellationToken)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = servers, SocketTimeoutMs = (int)ReachTimeout.TotalMilliseconds })
            .SetLogHandler((_, _) => { })
            .SetErrorHandler((_, _) => { })
            .Build();
        try
        {
            var metadata = await Task.Run(() => admin.GetMetadata(ReachTimeout), cancellationToken);
            if (metadata.Brokers.Count == 0)
            {
                throw CommandFailedException.Unreachable($"Kafka at {servers}", "no broker answered");
            }
        }
        catch (KafkaException ex)
        {
            throw CommandFailedException.Unreachable($"Kafka at {servers}", ex.Error.Reason, ex);
        }
    }

    private static Option<T> Positive<T>(Option<T> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is { } value && Convert.ToDouble(value, CultureInfo.InvariantCulture) < 1)
            {
                result.AddError($"{option.Name} must be at least 1.");
            }
        });
        return option;
    }

    private static Option<double> Fraction(Option<double> option)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var value && value is not (>= 0 and < 1))
            {
                result.AddError($"{option.Name} must be a fraction from 0 up to (not including) 1.");
            }
        });
        return option;
    }
}
