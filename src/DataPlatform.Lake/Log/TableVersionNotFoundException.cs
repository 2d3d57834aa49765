namespace DataPlatform.Lake.Log;

/// <summary>A read asked for a version the table's log does not have.</summary>
public sealed class TableVersionNotFoundException : Exception
{
    public TableVersionNotFoundException(string tableRoot, long version, long latest)
        : base(latest < 0
            ? $"Table at {tableRoot} has no commits, so version {version} does not exist."
            : $"Version {version} does not exist; the table's versions are 0 to {latest}.")
    {
        Version = version;
        Latest = latest;
    }

    public TableVersionNotFoundException() : base("The table version does not exist.")
    {
    }

    public TableVersionNotFoundException(string message) : base(message)
    {
    }

    public TableVersionNotFoundException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public long Version { get; }
    public long Latest { get; }
}
