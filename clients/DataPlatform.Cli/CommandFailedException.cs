namespace DataPlatform.Cli;

/// <summary>
/// Ends a command with an exit code and a sentence for standard error. Commands throw it; the one place that
/// runs commands prints the sentence and returns the code (<see cref="ExitCodes"/>).
/// </summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException()
    {
    }

    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CommandFailedException(int exitCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; } = ExitCodes.ServerError;

    /// <summary>The command line asks for something that cannot be done (exit code 2).</summary>
    public static CommandFailedException Usage(string message) => new(ExitCodes.Usage, message);

    /// <summary>Nothing answered at <paramref name="address"/> (exit code 3).</summary>
    public static CommandFailedException Unreachable(string address, string reason, Exception? innerException = null) =>
        new(ExitCodes.Unreachable, $"cannot reach {address}: {reason}", innerException);
}
