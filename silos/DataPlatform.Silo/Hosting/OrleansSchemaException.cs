namespace DataPlatform.Silo.Hosting;

/// <summary>The silo could not put the Orleans schema in its PostgreSQL database; the message says why in one sentence.</summary>
public sealed class OrleansSchemaException : Exception
{
    public OrleansSchemaException()
    {
    }

    public OrleansSchemaException(string message)
        : base(message)
    {
    }

    public OrleansSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
