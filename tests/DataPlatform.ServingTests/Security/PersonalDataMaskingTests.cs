using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Security;

/// <summary>
/// Columns the catalog marks PII read as *** for every role but admin: in SQL, whatever expression is put
/// over them, in SELECT *, in previews, and in bronze's raw records; and a masked query cannot read the files
/// under the views.
/// </summary>
public sealed class PersonalDataMaskingTests(KeyedPlatform platform) : IClassFixture<KeyedPlatform>
{
    private const string Email = "Pii.Person@example.com";

    /// <summary>Writes a profile of a user of its own to silver.users and bronze.users, committed.</summary>
    private async Task<string> WriteProfileAsync()
    {
        var user = $"pii-user-{Guid.NewGuid():N}";
        var writer = platform.Services.GetRequiredService<LakeWriter>();
        var profile = new UserProfileEvent { UserId = user, Timestamp = DateTimeOffset.UtcNow.AddMinutes(-1), Email = Email, Name = "Pii Person", Country = "PT" };
        writer.Append(SilverRows.Users, SilverRows.Of(profile));
        writer.Append("bronze.users", BronzeRows.Record(System.Text.Encoding.UTF8.GetBytes(user), true,
            JsonSerializer.SerializeToUtf8Bytes(profile), null, null, null, DateTimeOffset.UtcNow, BronzeRows.InProcess));
        Assert.True(await writer.FlushAppendsAsync(CancellationToken.None));
        return user;
    }

    [Fact]
    public async Task An_analyst_reads_personal_data_masked_whatever_the_expression_and_an_admin_reads_it_as_stored()
    {
        var user = await WriteProfileAsync();
        var sql = $"SELECT email, lower(email) AS lowered, email || '' AS joined, substr(email, 1, 3) AS cut, name, country FROM silver.users WHERE user_id = '{user}'";

        var analyst = await RowsAsync(ApiKeyAccessTests.Caller.Analyst, sql);
        var row = Assert.Single(analyst);
        Assert.Equal([LakeQueryEngine.MaskedValue, LakeQueryEngine.MaskedValue.ToLowerInvariant(), LakeQueryEngine.MaskedValue, "***", LakeQueryEngine.MaskedValue, "PT"],
            row.EnumerateArray().Select(value => value.GetString()));

        var admin = Assert.Single(await RowsAsync(ApiKeyAccessTests.Caller.Admin, sql));
        Assert.Equal([Email, Email.ToLowerInvariant(), Email, "Pii", "Pii Person", "PT"], admin.EnumerateArray().Select(value => value.GetString()));

        var all = Assert.Single(await RowsAsync(ApiKeyAccessTests.Caller.Analyst, $"WITH u AS (SELECT * FROM silver.users) SELECT * FROM u WHERE user_id = '{user}'"));
        Assert.DoesNotContain(Email, all.ToString(), StringComparison.OrdinalIgnoreCase);
        var raw = await RowsAsync(ApiKeyAccessTests.Caller.Analyst, $"SELECT decode(record_value) FROM bronze.users WHERE decode(record_key) = '{user}'");
        Assert.Equal(LakeQueryEngine.MaskedValue, Assert.Single(raw)[0].GetString());
    }

    [Fact]
    public async Task An_analyst_preview_masks_personal_data_and_an_admin_preview_shows_it()
    {
        await WriteProfileAsync();
        async Task<string> PreviewAsync(ApiKeyAccessTests.Caller caller)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/tables/silver.users/preview?limit=1000");
            platform.Sign(request, caller);
            using var response = await platform.Http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            return await response.Content.ReadAsStringAsync();
        }

        Assert.DoesNotContain(Email, await PreviewAsync(ApiKeyAccessTests.Caller.Analyst), StringComparison.Ordinal);
        Assert.Contains(Email, await PreviewAsync(ApiKeyAccessTests.Caller.Admin), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_users_export_holds_their_rows_of_every_layer_masked_for_an_analyst_and_as_stored_for_an_admin()
    {
        var user = await WriteProfileAsync();
        async Task<JsonElement> ExportAsync(ApiKeyAccessTests.Caller caller)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/users/{user}/export");
            platform.Sign(request, caller);
            using var response = await platform.Http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            return JsonDocument.Parse(body).RootElement.Clone();
        }
        static int RowsOf(JsonElement export, string table) =>
            export.GetProperty("lake").EnumerateArray().Single(entry => entry.GetProperty("table").GetString() == table).GetProperty("rows").GetArrayLength();

        var analyst = await ExportAsync(ApiKeyAccessTests.Caller.Analyst);
        Assert.True(analyst.GetProperty("personal_data_masked").GetBoolean());
        Assert.Equal((1, 1), (RowsOf(analyst, "silver.users"), RowsOf(analyst, "bronze.users")));
        Assert.DoesNotContain(Email, analyst.ToString(), StringComparison.Ordinal);

        var admin = await ExportAsync(ApiKeyAccessTests.Caller.Admin);
        Assert.False(admin.GetProperty("personal_data_masked").GetBoolean());
        Assert.Equal((1, 1), (RowsOf(admin, "silver.users"), RowsOf(admin, "bronze.users")));
        Assert.Contains(Email, admin.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, RowsOf(admin, "silver.app_events"));
    }

    [Theory]
    [InlineData("SELECT * FROM read_parquet('lake/silver/users/**/*.parquet')")]
    [InlineData("SELECT * FROM parquet_scan(['lake/silver/users/x.parquet'])")]
    [InlineData("SELECT * FROM 'lake/silver/users/**/*.parquet'")]
    [InlineData("SELECT * FROM read_csv('lake/silver/users/x.csv')")]
    [InlineData("SELECT * FROM query('SELECT 1')")]
    [InlineData("SELECT * FROM (WITH \"lake/silver/users/x.parquet\" AS (SELECT 1) SELECT 1), \"lake/silver/users/x.parquet\"")]
    public async Task A_masked_query_may_not_read_files_or_sql_text_beside_the_tables(string sql)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/query") { Content = JsonContent.Create(new { sql }) };
        platform.Sign(request, ApiKeyAccessTests.Caller.Analyst);
        using var response = await platform.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, body);
        Assert.Contains("this key", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<JsonElement[]> RowsAsync(ApiKeyAccessTests.Caller caller, string sql)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/query") { Content = JsonContent.Create(new { sql }) };
        platform.Sign(request, caller);
        using var response = await platform.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("rows").EnumerateArray().Select(row => row.Clone())];
    }
}
