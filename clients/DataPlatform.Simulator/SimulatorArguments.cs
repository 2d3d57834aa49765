using System.Globalization;

namespace DataPlatform.Simulator;

/// <summary>Parses the simulator's command line into <see cref="SimulatorOptions"/>.</summary>
public static class SimulatorArguments
{
    public const string Usage = """
        Usage: DataPlatform.Simulator [options]
          Produces to Kafka with --bootstrap; otherwise writes "topic<TAB>key<TAB>json" lines to stdout.
          --bootstrap B     Kafka bootstrap servers, e.g. 127.0.0.1:19092
          --seed N          random seed (default 42); the same seed, --start and --run give the same records
          --run ID          run id that event, session and order ids derive from (default: from --start
                            when given, else new for every run, so ids never repeat an earlier run's)
          --rate R          records per second (default 200)
          --count N         stop after N records
          --duration D      stop after D (e.g. 30s, 5m, 1h, or 00:05:00)
          --users N         size of the simulated population (default 5000)
          --sessions N      sessions in progress at once (default 1000)
          --duplicates F    fraction of records sent twice (default 0.002)
          --malformed F     fraction of records that break an edge rule (default 0)
          --rule-breaking F fraction of orders and customers that break a data-quality rule (default 0)
          --start T         event time of the first record, ISO-8601 (default: now)
        """;

    /// <summary>Returns the options, or an error message naming the bad argument.</summary>
    public static (SimulatorOptions? Options, string? Error) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new SimulatorOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "--help" or "-h")
            {
                return (null, Usage);
            }
            if (i + 1 >= args.Count)
            {
                return (null, $"{name} needs a value.");
            }
            var value = args[++i];
            var ok = name switch
            {
                "--seed" => TryInt(value, 0, out var seed) && Set(() => options.Seed = seed),
                "--rate" => TryDouble(value, out var rate) && rate > 0 && Set(() => options.Rate = rate),
                "--count" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    && count > 0 && Set(() => options.Count = count),
                "--duration" => TryDuration(value, out var duration) && Set(() => options.Duration = duration),
                "--users" => TryInt(value, 1, out var users) && Set(() => options.Users = users),
                "--sessions" => TryInt(value, 1, out var sessions) && Set(() => options.ConcurrentSessions = sessions),
                "--duplicates" => TryDouble(value, out var fraction) && fraction is >= 0 and < 1
                    && Set(() => options.DuplicateFraction = fraction),
                "--bootstrap" => value.Length > 0 && Set(() => options.BootstrapServers = value),
                "--run" => value.Length > 0 && Set(() => options.RunId = value),
                "--malformed" => TryDouble(value, out var malformed) && malformed is >= 0 and < 1
                    && Set(() => options.MalformedFraction = malformed),
                "--rule-breaking" => TryDouble(value, out var breaking) && breaking is >= 0 and < 1
                    && Set(() => options.RuleBreakingFraction = breaking),
                "--start" => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal, out var start) && Set(() => options.Start = start),
                _ => false,
            };
            if (!ok)
            {
                return (null, name.StartsWith("--", StringComparison.Ordinal) && Usage.Contains(name + " ", StringComparison.Ordinal)
                    ? $"Invalid value '{value}' for {name}."
                    : $"Unknown option '{name}'.");
            }
        }
        return (options, null);
    }

    /// <summary>Accepts 30s, 5m, 2h or a TimeSpan such as 00:05:00.</summary>
    public static bool TryDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        duration = default;
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount > 0)
        {
            switch (text[^1])
            {
                case 's': duration = TimeSpan.FromSeconds(amount); return true;
                case 'm': duration = TimeSpan.FromMinutes(amount); return true;
                case 'h': duration = TimeSpan.FromHours(amount); return true;
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }

    private static bool Set(Action assign)
    {
        assign();
        return true;
    }

    private static bool TryInt(string text, int min, out int value) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value) && value >= min;

    private static bool TryDouble(string text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
