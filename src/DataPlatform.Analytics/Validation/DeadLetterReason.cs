namespace DataPlatform.Analytics.Validation;

/// <summary>Stable reason codes for records rejected at the edge. Field-specific codes end in ":field".</summary>
public static class DeadLetterReason
{
    public const string TooLarge = "too_large";
    public const string NotJson = "not_json";
    public const string InvalidUtf8 = "invalid_utf8";
    public const string NotObject = "not_object";
    public const string UnknownTopic = "unknown_topic";
    public const string TimestampUnparseable = "invalid_timestamp";
    public const string TimestampInFuture = "future_timestamp";
    public const string TimestampExpired = "expired_timestamp";
    public const string UnknownOp = "unknown_op";
    public const string UnknownTable = "unknown_table";

    public static string MissingField(string field) => $"missing_field:{field}";

    public static string InvalidType(string field) => $"invalid_type:{field}";

    public static string InvalidValue(string field) => $"invalid_value:{field}";

    public static string OutOfRange(string field) => $"out_of_range:{field}";

    public static string NonFiniteNumber(string field) => $"non_finite_number:{field}";
}
