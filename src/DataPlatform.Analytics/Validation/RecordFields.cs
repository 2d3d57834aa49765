using System.Text.Json;

namespace DataPlatform.Analytics.Validation;

/// <summary>
/// Reads the fields of one JSON record and remembers the first rule it broke. Once a field failed,
/// later reads return defaults, so a decoder reads every field and then checks <see cref="Error"/>.
/// </summary>
internal sealed class RecordFields(JsonElement root, EdgeValidationOptions options, DateTimeOffset now)
{
    public const int MaxIdLength = 128;

    public string? Error { get; private set; }

    public string RequiredString(string name, int maxLength = MaxIdLength)
    {
        if (!TryGet(name, out var element))
        {
            return Fail(DeadLetterReason.MissingField(name), string.Empty);
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            return Fail(DeadLetterReason.InvalidType(name), string.Empty);
        }
        var value = element.GetString()!;
        return value.Length == 0 || value.Length > maxLength || !IsWellFormed(value)
            ? Fail(DeadLetterReason.InvalidValue(name), string.Empty)
            : value;
    }

    public string RequiredOneOf(string name, IReadOnlySet<string> allowed)
    {
        var value = RequiredString(name);
        return Error is null && !allowed.Contains(value) ? Fail(DeadLetterReason.InvalidValue(name), value) : value;
    }

    public string? OptionalString(string name, int maxLength = MaxIdLength)
    {
        if (!TryGet(name, out var element))
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            return Fail<string?>(DeadLetterReason.InvalidType(name), null);
        }
        var value = element.GetString()!;
        return value.Length > maxLength || !IsWellFormed(value) ? Fail<string?>(DeadLetterReason.InvalidValue(name), null) : value;
    }

    /// <summary>An event time: ISO-8601, not further ahead than the allowed skew, not older than retention.</summary>
    public DateTimeOffset RequiredEventTime(string name)
    {
        if (!TryGet(name, out var element))
        {
            return Fail(DeadLetterReason.MissingField(name), default(DateTimeOffset));
        }
        if (element.ValueKind != JsonValueKind.String || !TryParseTimestamp(element.GetString()!, out var timestamp))
        {
            return Fail(DeadLetterReason.TimestampUnparseable, default(DateTimeOffset));
        }
        return CheckEventTime(timestamp);
    }

    /// <summary>An event time given as milliseconds since the Unix epoch (Debezium's ts_ms).</summary>
    public DateTimeOffset RequiredEventTimeMs(string name)
    {
        if (!TryGet(name, out var element))
        {
            return Fail(DeadLetterReason.MissingField(name), default(DateTimeOffset));
        }
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var ms)
            || ms < 0 || ms > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            return Fail(DeadLetterReason.TimestampUnparseable, default(DateTimeOffset));
        }
        return CheckEventTime(DateTimeOffset.FromUnixTimeMilliseconds(ms));
    }

    public DateTimeOffset? OptionalTimestamp(string name)
    {
        if (!TryGet(name, out var element))
        {
            return null;
        }
        return element.ValueKind == JsonValueKind.String && TryParseTimestamp(element.GetString()!, out var timestamp)
            ? timestamp
            : Fail<DateTimeOffset?>(DeadLetterReason.InvalidValue(name), null);
    }

    /// <summary>A finite number no larger in magnitude than <paramref name="maxMagnitude"/>.</summary>
    public double? OptionalNumber(string name, double maxMagnitude)
    {
        if (!TryGet(name, out var element))
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Number)
        {
            return Fail<double?>(DeadLetterReason.InvalidType(name), null);
        }
        if (!element.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            return Fail<double?>(DeadLetterReason.NonFiniteNumber(name), null);
        }
        return Math.Abs(value) <= maxMagnitude ? value : Fail<double?>(DeadLetterReason.OutOfRange(name), null);
    }

    /// <summary>A JSON object whose values are kept as text (strings unquoted, anything else as its JSON).</summary>
    public Dictionary<string, string>? OptionalObjectAsText(string name)
    {
        if (!TryGet(name, out var element))
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Fail<Dictionary<string, string>?>(DeadLetterReason.InvalidType(name), null);
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            if (!IsWellFormed(property.Name) || !IsWellFormed(value))
            {
                return Fail<Dictionary<string, string>?>(DeadLetterReason.InvalidValue(name), null);
            }
            result[property.Name] = value;
        }
        return result;
    }

    /// <summary>A row image: an object whose values are kept as text, JSON null as null.</summary>
    public Dictionary<string, string?>? OptionalRow(string name)
    {
        if (!TryGet(name, out var element))
        {
            return null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Fail<Dictionary<string, string?>?>(DeadLetterReason.InvalidType(name), null);
        }
        var row = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value.ValueKind switch
            {
                JsonValueKind.Null => null,
                JsonValueKind.String => property.Value.GetString(),
                _ => property.Value.GetRawText(),
            };
            if (!IsWellFormed(property.Name) || (value is not null && !IsWellFormed(value)))
            {
                return Fail<Dictionary<string, string?>?>(DeadLetterReason.InvalidValue(name), null);
            }
            row[property.Name] = value;
        }
        return row;
    }

    public RecordFields? RequiredObject(string name)
    {
        if (!TryGet(name, out var element))
        {
            return Fail<RecordFields?>(DeadLetterReason.MissingField(name), null);
        }
        return element.ValueKind == JsonValueKind.Object
            ? new RecordFields(element, options, now)
            : Fail<RecordFields?>(DeadLetterReason.InvalidType(name), null);
    }

    /// <summary>Records a failure found outside this reader (e.g. in a nested object); the first one wins.</summary>
    public void Reject(string reason) => Error ??= reason;

    private DateTimeOffset CheckEventTime(DateTimeOffset timestamp)
    {
        if (timestamp > now + options.MaxFutureSkew)
        {
            return Fail(DeadLetterReason.TimestampInFuture, timestamp);
        }
        return timestamp < now - options.Retention ? Fail(DeadLetterReason.TimestampExpired, timestamp) : timestamp;
    }

    private static bool TryParseTimestamp(string text, out DateTimeOffset timestamp) => IsoTimestamp.TryParse(text, out timestamp);

    // A JSON escape can carry half a surrogate pair ("\ud800"): valid JSON, but not text any writer can store as it is.
    private static bool IsWellFormed(string value)
    {
        if (value.AsSpan().IndexOfAnyInRange('\ud800', '\udfff') < 0)
        {
            return true;
        }
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }
        return true;
    }

    private bool TryGet(string name, out JsonElement element)
    {
        if (Error is null && root.TryGetProperty(name, out element) && element.ValueKind != JsonValueKind.Null)
        {
            return true;
        }
        element = default;
        return false;
    }

    private T Fail<T>(string reason, T fallback)
    {
        Error ??= reason;
        return fallback;
    }
}
