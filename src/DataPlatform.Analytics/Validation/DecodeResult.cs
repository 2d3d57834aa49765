namespace DataPlatform.Analytics.Validation;

/// <summary>The outcome of decoding one record: a typed event, or the reason it was rejected.</summary>
public readonly record struct DecodeResult
{
    private DecodeResult(object? value, string? reason)
    {
        Value = value;
        Reason = reason;
    }

    /// <summary>The decoded contract record (AppEvent, ClickstreamEvent, ...), when valid.</summary>
    public object? Value { get; }

    /// <summary>The dead-letter reason code, when rejected.</summary>
    public string? Reason { get; }

    public bool IsValid => Reason is null;

    public static DecodeResult Valid(object value) => new(value, null);

    public static DecodeResult Rejected(string reason) => new(null, reason);
}
