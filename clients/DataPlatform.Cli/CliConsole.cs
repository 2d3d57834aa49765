using Spectre.Console;

namespace DataPlatform.Cli;

/// <summary>
/// Where a command writes: <see cref="Out"/> for rendered tables and progress, <see cref="Text"/> for plain
/// output that scripts read (CSV, JSON, tokens), <see cref="Error"/> for what went wrong; and the environment
/// the defaults of <c>--url</c>, <c>--api-key</c> and the others come from.
/// </summary>
public sealed class CliConsole
{
    /// <summary>Width of tables when the output is not a terminal that says its own.</summary>
    public const int CapturedWidth = 200;

    private CliConsole(IAnsiConsole output, TextWriter text, TextWriter error, Func<string, string?> environment, bool handlesTermination)
    {
        Out = output;
        Text = text;
        Error = error;
        Environment = environment;
        HandlesTermination = handlesTermination;
    }

    public IAnsiConsole Out { get; }

    public TextWriter Text { get; }

    public TextWriter Error { get; }

    /// <summary>Reads an environment variable (null when unset).</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>Whether Ctrl+C and SIGTERM cancel the running command (true for the process, false in tests).</summary>
    public bool HandlesTermination { get; }

    /// <summary>Whether output goes to a person at a terminal (live displays and progress bars redraw in place).</summary>
    public bool IsInteractive => Out.Profile.Capabilities.Interactive;

    /// <summary>The process's own console, with colours and live redraws when it is a terminal.</summary>
    public static CliConsole ForProcess() => new(
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }),
        Console.Out,
        Console.Error,
        System.Environment.GetEnvironmentVariable,
        handlesTermination: true);

    /// <summary>Plain text into writers (no colours, no redraws, wide tables), with the given environment: for tests and embedding.</summary>
    public static CliConsole ForWriters(TextWriter output, TextWriter error, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = CapturedWidth;
        var variables = environment ?? new Dictionary<string, string>();
        return new(console, output, error, name => variables.TryGetValue(name, out var value) ? value : null, handlesTermination: false);
    }
}
