using System.Text;
using DataPlatform.Analytics.Validation;
using DataPlatform.Contracts.Events;
using Microsoft.Extensions.Time.Testing;

namespace DataPlatform.UnitTests.Validation;

public sealed class EventDecoderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly EventDecoder _decoder = new(new EdgeValidationOptions(), new FakeTimeProvider(Now));

    private const string ValidAppEvent = """
        {"event_id":"e1","user_id":"u1","session_id":"s1","event_type":"purchase","app_type":"ios",
         "timestamp":"2026-11-20T11:59:00Z","value":19.99,"properties":{"screen":"checkout","items":3}}
        """;

    private DecodeResult Decode(string topic, string json) => _decoder.Decode(topic, Encoding.UTF8.GetBytes(json));

    [Fact]
    public void A_valid_app_event_decodes_with_every_field()
    {
        var result = Decode(Topics.AppEvents, ValidAppEvent);

        Assert.True(result.IsValid, result.Reason);
        var appEvent = Assert.IsType<AppEvent>(result.Value);
        Assert.Equal("e1", appEvent.EventId);
        Assert.Equal("u1", appEvent.UserId);
        Assert.Equal("s1", appEvent.SessionId);
        Assert.Equal("purchase", appEvent.EventType);
        Assert.Equal("ios", appEvent.AppType);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 11, 59, 0, TimeSpan.Zero), appEvent.Timestamp);
        Assert.Equal(19.99, appEvent.Value);
        Assert.Equal("checkout", appEvent.Properties!["screen"]);
        Assert.Equal("3", appEvent.Properties["items"]);
    }

    [Fact]
    public void A_valid_clickstream_record_decodes()
    {
        var result = Decode(Topics.Clickstream, """
            {"event_id":"c1","user_id":"u1","session_id":"s1","page_url":"/cart","action":"add_to_cart",
             "timestamp":"2026-11-20T11:00:00.250+00:00","referrer":"/products/1","device":"mobile"}
            """);

        var click = Assert.IsType<ClickstreamEvent>(result.Value);
        Assert.Equal("add_to_cart", click.Action);
        Assert.Equal("/cart", click.PageUrl);
        Assert.Equal("mobile", click.Device);
        Assert.Equal(250, click.Timestamp.Millisecond);
    }

    [Fact]
    public void Valid_cdc_user_and_external_records_decode()
    {
        var cdc = Decode(Topics.CdcChanges, """
            {"op":"u","source":{"table":"orders","db":"shop"},"ts_ms":1795172400000,
             "before":{"order_id":"o1","status":"pending"},"after":{"order_id":"o1","status":"paid","total_amount":120.50}}
            """);
        var change = Assert.IsType<CdcChange>(cdc.Value);
        Assert.Equal("orders", change.Source.Table);
        Assert.Equal("120.50", change.After!["total_amount"]);

        var user = Decode(Topics.Users, """{"user_id":"u1","timestamp":"2026-11-20T10:00:00Z","email":"a@b.c","country":"DE"}""");
        Assert.Equal("DE", Assert.IsType<UserProfileEvent>(user.Value).Country);

        var external = Decode(Topics.External, """{"source":"weather","key":"berlin","timestamp":"2026-11-20T10:00:00Z","payload":{"temp":3.5}}""");
        Assert.Equal("3.5", Assert.IsType<ExternalEvent>(external.Value).Payload!["temp"]);
    }

    [Theory]
    [InlineData("not json at all", DeadLetterReason.NotJson)]
    [InlineData("{\"event_id\":", DeadLetterReason.NotJson)]
    [InlineData("[1,2,3]", DeadLetterReason.NotObject)]
    [InlineData("\"a string\"", DeadLetterReason.NotObject)]
    [InlineData("""{"user_id":"u1","event_type":"x","app_type":"ios","timestamp":"2026-11-20T11:00:00Z"}""", "missing_field:event_id")]
    [InlineData("""{"event_id":"e","event_type":"x","app_type":"ios","timestamp":"2026-11-20T11:00:00Z"}""", "missing_field:user_id")]
    [InlineData("""{"event_id":"e","user_id":null,"event_type":"x","app_type":"ios","timestamp":"2026-11-20T11:00:00Z"}""", "missing_field:user_id")]
    [InlineData("""{"event_id":7,"user_id":"u","event_type":"x","app_type":"ios","timestamp":"2026-11-20T11:00:00Z"}""", "invalid_type:event_id")]
    [InlineData("""{"event_id":"e","user_id":"","event_type":"x","app_type":"ios","timestamp":"2026-11-20T11:00:00Z"}""", "invalid_value:user_id")]
    [InlineData("""{"event_id":"e","user_id":"u","event_type":"x","app_type":"windows","timestamp":"2026-11-20T11:00:00Z"}""", "invalid_value:app_type")]
    [InlineData("""{"event_id":"e","user_id":"u","event_type":"x","app_type":"ios","timestamp":"yesterday"}""", DeadLetterReason.TimestampUnparseable)]
    [InlineData("""{"event_id":"e","user_id":"u","event_type":"x","app_type":"ios","timestamp":1795694400}""", DeadLetterReason.TimestampUnparseable)]
    [InlineData("""{"event_id":"e","user_id":"u","event_type":"x","app_type":"ios","timestamp":"2026-11-20T12:06:00Z"}""", DeadLetterReason.TimestampInFuture)]
    [InlineData("""{"event_id":"e","user_id":"u","event_type":"x","app_type":"ios","timestamp":"2026-10-20T11:00:00Z"}""", DeadLetterReason.TimestampExpired)]
    [InlineData("""{"event_id":"e","user_id":"u","event_type":"x","app_type":"ios","timestamp":"2026-11-20T11:00:00Z","value":1e400}""", "non_finite_number:value")]
    [InlineData("""{"event_id":"e","user_id":"u","event_type":"x","app_type":"ios","timestamp":"2026-11-20T11:00:00Z","value":"12"}""", "invalid_type:value")]
    [InlineData("""{"event_id":"e","user_id":"u","event_type":"x","app_type":"ios","timestamp":"2026-11-20T11:00:00Z","properties":[1]}""", "invalid_type:properties")]
    public void A_bad_app_event_is_rejected_with_its_reason(string json, string reason)
    {
        var result = Decode(Topics.AppEvents, json);

        Assert.False(result.IsValid);
        Assert.Null(result.Value);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public void Event_type_is_an_open_set_of_at_most_64_characters()
    {
        string WithType(string type) => $$"""{"event_id":"e","user_id":"u","event_type":"{{type}}","app_type":"web","timestamp":"2026-11-20T11:00:00Z"}""";

        Assert.True(Decode(Topics.AppEvents, WithType("wishlist_share")).IsValid);
        Assert.True(Decode(Topics.AppEvents, WithType(new string('x', 64))).IsValid);
        Assert.Equal("invalid_value:event_type", Decode(Topics.AppEvents, WithType(new string('x', 65))).Reason);
        Assert.Equal("invalid_value:event_type", Decode(Topics.AppEvents, WithType("")).Reason);
    }

    [Fact]
    public void A_record_over_64_KiB_is_rejected_before_parsing()
    {
        var padding = new string('a', EdgeValidationOptions.DefaultMaxMessageBytes);
        var json = ValidAppEvent.Replace("\"checkout\"", $"\"{padding}\"", StringComparison.Ordinal);

        Assert.Equal(DeadLetterReason.TooLarge, Decode(Topics.AppEvents, json).Reason);
    }

    [Fact]
    public void A_clickstream_record_needs_a_session_and_a_page()
    {
        Assert.Equal("missing_field:session_id", Decode(Topics.Clickstream, """
            {"event_id":"c1","user_id":"u1","page_url":"/","action":"click","timestamp":"2026-11-20T11:00:00Z"}
            """).Reason);
        Assert.Equal("missing_field:page_url", Decode(Topics.Clickstream, """
            {"event_id":"c1","user_id":"u1","session_id":"s","action":"click","timestamp":"2026-11-20T11:00:00Z"}
            """).Reason);
    }

    [Theory]
    [InlineData("""{"op":"x","source":{"table":"orders"},"ts_ms":1795172400000,"after":{}}""", DeadLetterReason.UnknownOp)]
    [InlineData("""{"op":"c","source":{"table":"invoices"},"ts_ms":1795172400000,"after":{}}""", DeadLetterReason.UnknownTable)]
    [InlineData("""{"op":"c","source":{},"ts_ms":1795172400000,"after":{}}""", "missing_field:source.table")]
    [InlineData("""{"op":"c","ts_ms":1795172400000,"after":{}}""", "missing_field:source")]
    [InlineData("""{"op":"c","source":{"table":"orders"},"ts_ms":1795172400000}""", "missing_field:after")]
    [InlineData("""{"op":"d","source":{"table":"orders"},"ts_ms":1795172400000,"after":null}""", "missing_field:before")]
    [InlineData("""{"op":"c","source":{"table":"orders"},"ts_ms":"soon","after":{}}""", DeadLetterReason.TimestampUnparseable)]
    public void A_bad_cdc_change_is_rejected_with_its_reason(string json, string reason) =>
        Assert.Equal(reason, Decode(Topics.CdcChanges, json).Reason);

    [Fact]
    public void A_record_on_an_unknown_topic_is_rejected() =>
        Assert.Equal(DeadLetterReason.UnknownTopic, Decode("topic_elsewhere", ValidAppEvent).Reason);
}
