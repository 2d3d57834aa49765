namespace DataPlatform.Lake.Sql;

/// <summary>A query turned away because the lake already runs as many queries as it may (an HTTP 429).</summary>
public sealed class LakeBusyException : Exception
{
    public LakeBusyException(string message) : base(message)
    {
    }

    public LakeBusyException() : base("The lake runs as many queries as it may. Retry in a moment.")
    {
    }

    public LakeBusyException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
