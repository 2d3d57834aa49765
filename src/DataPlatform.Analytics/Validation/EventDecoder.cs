using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Unicode;
using DataPlatform.Contracts.Events;

namespace DataPlatform.Analytics.Validation;

/// <summary>
/// Turns the raw bytes of a record on one of the five topics into its contract record, or into a
/// dead-letter reason. Never throws for bad input.
/// </summary>
public sealed class EventDecoder(EdgeValidationOptions options, TimeProvider clock)
{
    private static readonly FrozenSet<string> AppTypes = FrozenSet.Create(StringComparer.Ordinal, "ios", "android", "web");
    private static readonly FrozenSet<string> CdcOps = FrozenSet.Create(StringComparer.Ordinal, "c", "u", "d", "r");
    private static readonly FrozenSet<string> CdcTables = FrozenSet.Create(
        StringComparer.Ordinal, "customers", "products", "orders", "order_items", "payments");

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 32 };
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public DecodeResult Decode(string topic, ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > options.MaxMessageBytes)
        {
            return DecodeResult.Rejected(DeadLetterReason.TooLarge);
        }

        // The contract is UTF-8 (RFC 8259): bytes that are not are refused as a whole, even in a field
        // the decoder does not read, so that what silver and gold hold is always the text received.
        if (!Utf8.IsValid(payload.Span))
        {
            return DecodeResult.Rejected(DeadLetterReason.InvalidUtf8);
        }
        // RFC 8259 allows a parser to ignore a byte order mark; many tools write one.
        if (payload.Span.StartsWith(Utf8ByteOrderMark))
        {
            payload = payload[Utf8ByteOrderMark.Length..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, DocumentOptions);
        }
        catch (JsonException)
        {
            return DecodeResult.Rejected(DeadLetterReason.NotJson);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return DecodeResult.Rejected(DeadLetterReason.NotObject);
            }
            var fields = new RecordFields(document.RootElement, options, clock.GetUtcNow());
            return topic switch
            {
                Topics.AppEvents => Finish(fields, ReadAppEvent(fields)),
                Topics.Clickstream => Finish(fields, ReadClickstreamEvent(fields)),
                Topics.CdcChanges => Finish(fields, ReadCdcChange(fields)),
                Topics.Users => Finish(fields, ReadUserProfileEvent(fields)),
                Topics.External => Finish(fields, ReadExternalEvent(fields)),
                _ => DecodeResult.Rejected(DeadLetterReason.UnknownTopic),
            };
        }
    }

    private static DecodeResult Finish(RecordFields fields, object value) =>
        fields.Error is { } reason ? DecodeResult.Rejected(reason) : DecodeResult.Valid(value);

    private AppEvent ReadAppEvent(RecordFields fields) => new()
    {
        EventId = fields.RequiredString("event_id"),
        UserId = fields.RequiredString("user_id"),
        SessionId = fields.OptionalString("session_id"),
        EventType = fields.RequiredString("event_type", options.MaxOpenSetLength),
        AppType = fields.RequiredOneOf("app_type", AppTypes),
        Timestamp = fields.RequiredEventTime("timestamp"),
        Value = fields.OptionalNumber("value", EdgeLimits.MaxEventValue),
        Properties = fields.OptionalObjectAsText("properties"),
    };

    private ClickstreamEvent ReadClickstreamEvent(RecordFields fields) => new()
    {
        EventId = fields.RequiredString("event_id"),
        UserId = fields.RequiredString("user_id"),
        SessionId = fields.RequiredString("session_id"),
        PageUrl = fields.RequiredString("page_url", maxLength: 2048),
        Action = fields.RequiredString("action", options.MaxOpenSetLength),
        Timestamp = fields.RequiredEventTime("timestamp"),
        Referrer = fields.OptionalString("referrer", maxLength: 2048),
        Device = fields.OptionalString("device", options.MaxOpenSetLength),
    };

    private static CdcChange ReadCdcChange(RecordFields fields)
    {
        var op = fields.RequiredString("op");
        if (fields.Error is null && !CdcOps.Contains(op))
        {
            fields.Reject(DeadLetterReason.UnknownOp);
        }
        var source = fields.RequiredObject("source");
        var table = source?.RequiredString("table") ?? string.Empty;
        if (source?.Error is { } sourceError)
        {
            fields.Reject(sourceError.Replace(":", ":source.", StringComparison.Ordinal));
        }
        else if (source is not null && !CdcTables.Contains(table))
        {
            fields.Reject(DeadLetterReason.UnknownTable);
        }
        var timestamp = fields.RequiredEventTimeMs("ts_ms");
        var before = fields.OptionalRow("before");
        var after = fields.OptionalRow("after");
        if (fields.Error is null && op == "d" && before is null)
        {
            fields.Reject(DeadLetterReason.MissingField("before"));
        }
        if (fields.Error is null && op != "d" && after is null)
        {
            fields.Reject(DeadLetterReason.MissingField("after"));
        }
        if (fields.Error is null)
        {
            CheckRows(fields, table, before, after);
        }
        return new CdcChange
        {
            Op = op,
            Source = new CdcSource { Table = table, Db = source?.OptionalString("db") },
            TsMs = fields.Error is null ? timestamp.ToUnixTimeMilliseconds() : 0,
            Before = before,
            After = after,
        };
    }

    /// <summary>The image that routes the change (after, else before) carries its primary key; every image keeps the column rules.</summary>
    private static void CheckRows(RecordFields fields, string table, Dictionary<string, string?>? before, Dictionary<string, string?>? after)
    {
        var reason = after is not null
            ? CdcRowRules.CheckPrimaryKey(table, "after", after, RecordFields.MaxIdLength)
            : CdcRowRules.CheckPrimaryKey(table, "before", before!, RecordFields.MaxIdLength);
        reason ??= before is null ? null : CdcRowRules.Check(table, "before", before);
        reason ??= after is null ? null : CdcRowRules.Check(table, "after", after);
        if (reason is not null)
        {
            fields.Reject(reason);
        }
    }

    private static UserProfileEvent ReadUserProfileEvent(RecordFields fields) => new()
    {
        UserId = fields.RequiredString("user_id"),
        Timestamp = fields.RequiredEventTime("timestamp"),
        Email = fields.OptionalString("email", maxLength: 320),
        Name = fields.OptionalString("name", maxLength: 256),
        Country = fields.OptionalString("country"),
        SignupAt = fields.OptionalTimestamp("signup_at"),
    };

    private static ExternalEvent ReadExternalEvent(RecordFields fields) => new()
    {
        Source = fields.RequiredString("source"),
        Key = fields.RequiredString("key", maxLength: 512),
        Timestamp = fields.RequiredEventTime("timestamp"),
        Payload = fields.OptionalObjectAsText("payload"),
    };
}
