using System.Text;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Grains.Erasure;
using DataPlatform.Grains.Ingestion.Kafka;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Sql;
using DataPlatform.Streaming.Kafka;
using Microsoft.Extensions.Options;

namespace DataPlatform.UnitTests.Lake;

/// <summary>
/// The lake's part of an erasure: a table rewritten without a user's rows (and only theirs), the purge of the
/// versions before it once the erasure deadline passed, and the register every silo drops records by.
/// </summary>
public sealed class ErasureTests : IDisposable
{
    private const string User = "erase-me";
    private readonly LakeWriterHarness _lake = new();

    public void Dispose() => _lake.Dispose();

    private void AppendProfile(string user, DateTimeOffset at)
    {
        var profile = new UserProfileEvent { UserId = user, Timestamp = at, Email = $"{user}@example.com", Name = user, Country = "PT" };
        _lake.Writer.Append(SilverRows.Users, SilverRows.Of(profile));
        _lake.Writer.Append("bronze.users", BronzeRows.Record(Encoding.UTF8.GetBytes(user), true, JsonSerializer.SerializeToUtf8Bytes(profile), null, null, null, at, BronzeRows.InProcess));
    }

    private void AppendOrderChange(string orderId, string customer, DateTimeOffset at)
    {
        var value = Encoding.UTF8.GetBytes($$$"""{"op":"c","source":{"table":"orders"},"ts_ms":1,"after":{"order_id":"{{{orderId}}}","customer_id":"{{{customer}}}"}}""");
        _lake.Writer.Append("bronze.cdc_changes", BronzeRows.Record(Encoding.UTF8.GetBytes(orderId), true, value, null, null, null, at, BronzeRows.InProcess));
    }

    private async Task<long> CountAsync(string sql) => (long)(await _lake.QueryAsync(sql))[0][0]!;

    [Fact]
    public async Task An_erasure_removes_the_users_rows_and_only_theirs_from_every_kind_of_table_and_is_idempotent()
    {
        var at = _lake.Lake.Clock.GetUtcNow();
        AppendProfile(User, at);
        AppendProfile(User + "0", at);
        AppendOrderChange("order-1", User, at);
        AppendOrderChange("order-2", "someone-else", at);
        _lake.Writer.Append(PlatformTables.Quarantine,
            ["silver.users", "email", "invalid_text:email", $$"""{"user_id":"{{User}}","email":"x"}""", null, null, at.UtcDateTime, DateOnly.FromDateTime(at.UtcDateTime)]);
        await _lake.FlushAsync();

        var outcomes = new Dictionary<string, long>();
        foreach (var table in UserRows.Erased)
        {
            var outcome = await _lake.Grains.GetGrain<ITableGrain>(table.Name).EraseUserAsync(User);
            outcomes[table.Name] = outcome.RowsRemoved;
            Assert.Equal(outcome.RowsRemoved > 0, outcome.Version is not null);
        }

        Assert.Equal(new Dictionary<string, long> { ["silver.users"] = 1, ["bronze.users"] = 1, ["bronze.cdc_changes"] = 1, [PlatformTables.Quarantine] = 1 },
            outcomes.Where(entry => entry.Value > 0).ToDictionary());
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM silver.users WHERE user_id = '{User}'"));
        Assert.Equal(1, await CountAsync($"SELECT count(*) FROM silver.users WHERE user_id = '{User}0'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM bronze.users"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM bronze.cdc_changes WHERE decode(record_key) = 'order-2'"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM {PlatformTables.Quarantine}"));
        foreach (var table in UserRows.Erased)
        {
            Assert.Null((await _lake.Grains.GetGrain<ITableGrain>(table.Name).EraseUserAsync(User)).Version);
        }
    }

    [Fact]
    public async Task Past_the_erasure_deadline_the_versions_before_it_can_no_longer_be_read()
    {
        AppendProfile(User, _lake.Lake.Clock.GetUtcNow());
        AppendProfile("kept", _lake.Lake.Clock.GetUtcNow());
        await _lake.FlushAsync();
        var table = _lake.Lake.Open(PlatformTables.Find(SilverRows.Users)!);
        var before = table.Snapshot.Version;
        var erased = await table.EraseAsync(UserRows.MatcherFor(table.Definition, User), default);
        var timeTravel = $"SELECT count(*) FROM silver.users VERSION AS OF {before} WHERE user_id = '{User}'";

        Assert.Equal(1, await CountAsync(timeTravel));
        Assert.Equal(0, table.PurgeErasedVersions(_lake.Lake.Options.ErasurePurgeAfter));
        _lake.Lake.Clock.Advance(_lake.Lake.Options.ErasurePurgeAfter + TimeSpan.FromSeconds(1));

        Assert.Equal(1, table.PurgeErasedVersions(_lake.Lake.Options.ErasurePurgeAfter));
        var refused = await Assert.ThrowsAsync<LakeQueryException>(() => _lake.QueryAsync(timeTravel));
        Assert.Contains("can no longer be read", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync($"SELECT count(*) FROM silver.users VERSION AS OF {erased.Version} WHERE user_id = '{User}'"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM silver.users WHERE user_id = 'kept'"));
        var purges = table.History.Count(commit => commit.Operation == "VACUUM END");
        Assert.Equal(0, table.PurgeErasedVersions(_lake.Lake.Options.ErasurePurgeAfter));
        Assert.Equal(purges, table.History.Count(commit => commit.Operation == "VACUUM END"));
    }

    [Fact]
    public async Task Once_a_user_is_in_the_register_their_records_are_named_and_the_bronze_recorder_drops_them()
    {
        Assert.False(_lake.Erasures.IsErased(User));
        _lake.Writer.Append(PlatformTables.Erasures,
            new ErasureRecord(ErasureRegister.ErasureIdOf(User), User, ErasureStatus.Requested, _lake.Lake.Clock.GetUtcNow(), "admin-key", null, null).ToRow());
        await _lake.FlushAsync();
        await _lake.Erasures.RefreshAsync();

        Assert.True(_lake.Erasures.IsErased(User));
        Assert.False(_lake.Erasures.IsErased(User + "0"));
        Assert.True(_lake.Erasures.IsErasedKey(Encoding.UTF8.GetBytes(User)));
        Assert.True(_lake.Erasures.IsAboutErasedUser(new AppEvent { EventId = "e", UserId = User, EventType = "app_open", Timestamp = DateTimeOffset.UtcNow, AppType = "ios" }));
        Assert.True(_lake.Erasures.IsAboutErasedUser(new CdcChange
        {
            Op = "u", Source = new CdcSource { Table = "orders" }, TsMs = 1,
            After = new Dictionary<string, string?> { ["order_id"] = "o1", ["customer_id"] = User },
        }));
        Assert.True(_lake.Erasures.MentionsErasedUser(Encoding.UTF8.GetBytes($$$"""{"after":{"customer_id":"{{{User}}}"}}""")));
        Assert.False(_lake.Erasures.MentionsErasedUser(Encoding.UTF8.GetBytes($$"""{"{{User}}":"other"}""")));

        var recorder = new BronzeRecorder(_lake.Writer, _lake.Erasures, Options.Create(_lake.Lake.Options), _lake.Lake.Clock);
        recorder.OnRecord(new KafkaRecord("topic_users", "users", 0, 1, Encoding.UTF8.GetBytes(User), "{}"u8.ToArray(), [], DateTimeOffset.UtcNow));
        recorder.OnRecord(new KafkaRecord("topic_users", "users", 0, 2, Encoding.UTF8.GetBytes("kept"), "{}"u8.ToArray(), [], DateTimeOffset.UtcNow));
        recorder.OnRecord(new KafkaRecord("topic_users", "users", 0, 3, null, Encoding.UTF8.GetBytes($$$"""{"user_id":"{{{User}}}"}"""), [], DateTimeOffset.UtcNow));
        await _lake.FlushAsync();
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM bronze.users"));
    }

    [Fact]
    public async Task A_user_id_that_json_escapes_is_found_escaped_or_not()
    {
        const string user = "Zoë+1";
        _lake.Writer.Append(PlatformTables.Erasures,
            new ErasureRecord(ErasureRegister.ErasureIdOf(user), user, ErasureStatus.Requested, _lake.Lake.Clock.GetUtcNow(), null, null, null).ToRow());
        await _lake.FlushAsync();
        await _lake.Erasures.RefreshAsync();

        Assert.True(_lake.Erasures.MentionsErasedUser(JsonSerializer.SerializeToUtf8Bytes(new { user_id = user })));
        Assert.True(_lake.Erasures.MentionsErasedUser(Encoding.UTF8.GetBytes($$$"""{"user_id":"{{{user}}}"}""")));
        Assert.True(_lake.Erasures.IsErasedKey(Encoding.UTF8.GetBytes(user)));
    }

    [Theory]
    [InlineData("""{"user_id":"u1"}""", true)]
    [InlineData("""{"a":[{"b":{"c":"u1"}}]}""", true)]
    [InlineData("""{"u1":"x"}""", false)]
    [InlineData("""{"user_id":"u10"}""", false)]
    [InlineData("""{"user_id":"u1", broken""", true)]
    [InlineData("""not json u1""", false)]
    public void A_json_record_mentions_a_user_when_it_holds_the_id_as_a_string_value(string json, bool mentions) =>
        Assert.Equal(mentions, JsonMentions.HoldsString(Encoding.UTF8.GetBytes(json), "u1"));
}
