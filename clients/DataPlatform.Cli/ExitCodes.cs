namespace DataPlatform.Cli;

/// <summary>What <c>dp</c> exits with: the same meaning for every command, so scripts can tell the cases apart.</summary>
public static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>The server answered with an error (its problem <c>detail</c> is printed), or what was checked is not right.</summary>
    public const int ServerError = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing argument, a value out of range.</summary>
    public const int Usage = 2;

    /// <summary>Nothing answered at the address (connection refused, no route, no answer in time).</summary>
    public const int Unreachable = 3;

    /// <summary>Stopped by Ctrl+C or SIGTERM before it was done (a watch that is stopped this way exits with 0).</summary>
    public const int Interrupted = 130;
}
