namespace DataPlatform.Lake.Sql;

/// <summary>A query the lake refuses or cannot answer; the message tells the user why (an HTTP 400).</summary>
public sealed class LakeQueryException : Exception
{
    public LakeQueryException(string message) : base(message)
    {
    }

    public LakeQueryException() : base("The query was refused.")
    {
    }

    public LakeQueryException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
