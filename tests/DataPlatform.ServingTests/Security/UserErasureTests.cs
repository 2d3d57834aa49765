using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Security;

/// <summary>A platform whose erasure deadline passes within seconds, so a test sees old versions purged.</summary>
public sealed class ErasingPlatform : RunningPlatform
{
    public static readonly TimeSpan PurgeAfter = TimeSpan.FromSeconds(3);

    protected override IReadOnlyList<string> ExtraArguments =>
        ["--Lake:ErasurePurgeAfter", "00:00:03", "--Lake:MaintenanceInterval", "00:00:02"];
}

/// <summary>
/// DELETE /users/{id} on the running platform while its simulator keeps sending the user's events: afterwards no
/// live state and no lake row of the current snapshot holds the user, the user's later records are dropped and
/// counted, the export is empty, the audit log has the erasure, asking again answers the same report, and once the
/// erasure deadline passed the versions before it can no longer be read.
/// </summary>
public sealed class UserErasureTests(ErasingPlatform platform) : IClassFixture<ErasingPlatform>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_erased_user_is_gone_from_live_state_and_every_lake_table_and_stays_gone_while_their_events_keep_coming()
    {
        var user = await AnActiveUserWithLakeRowsAsync();
        var versionBefore = (await platform.GetJsonAsync("/tables/silver.app_events")).GetProperty("version").GetInt64();
        var timeTravel = $"SELECT count(*) FROM silver.app_events VERSION AS OF {versionBefore} WHERE user_id = '{user}'";
        Assert.True(await CountAsync(timeTravel) > 0);

        using var erased = await platform.Http.DeleteAsync($"/users/{user}");
        var report = JsonDocument.Parse(await erased.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.True(erased.StatusCode == HttpStatusCode.OK, report.ToString());
        Assert.True(report.GetProperty("profile").GetBoolean());
        Assert.True(report.GetProperty("lake_rows").GetProperty("silver.app_events").GetInt64() > 0, report.ToString());
        Assert.False(report.GetProperty("already_erased").GetBoolean());

        await AssertGoneAsync(user);
        var kpis = await platform.GetJsonAsync("/kpis");
        Assert.DoesNotContain(user, kpis.ToString(), StringComparison.Ordinal);

        // The simulator goes on sending the user's events: they are dropped and counted, never applied or stored.
        await WaitUntilAsync(async () => (await platform.GetJsonAsync("/kpis")).GetProperty("erased_user_records").GetInt64() > 0,
            "a later record of the erased user dropped and counted");
        await Task.Delay(TimeSpan.FromSeconds(4));
        await AssertGoneAsync(user);

        using var again = await platform.Http.DeleteAsync($"/users/{user}");
        var second = JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(second.GetProperty("already_erased").GetBoolean());
        Assert.Equal(report.GetProperty("lake_rows").ToString(), second.GetProperty("lake_rows").ToString());

        await platform.Services.GetRequiredService<DataPlatform.Grains.Lake.LakeWriter>().FlushAppendsAsync(CancellationToken.None);
        var audit = await QueryAsync($"SELECT action, status, detail FROM gold.audit_log WHERE target = 'DELETE /users/{user}' ORDER BY \"at\"");
        Assert.Equal(2, audit.Count);
        Assert.All(audit, row => Assert.Equal(("erase", 200), (row[0].GetString(), row[1].GetInt32())));
        Assert.Contains(report.GetProperty("erasure_id").GetString()!, audit[0][2].GetString(), StringComparison.Ordinal);

        // Past the erasure deadline, maintenance deletes the files of the versions before the erasure.
        await WaitUntilAsync(async () =>
        {
            using var response = await PostQueryAsync(timeTravel);
            return response.StatusCode == HttpStatusCode.BadRequest
                && (await response.Content.ReadAsStringAsync()).Contains("can no longer be read", StringComparison.Ordinal);
        }, "the version before the erasure purged");
    }

    [Fact]
    public async Task Only_an_admin_may_erase_and_a_hostile_id_is_refused()
    {
        using var bad = await platform.Http.DeleteAsync($"/users/{Uri.EscapeDataString(new string('x', 300))}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    /// <summary>
    /// No row of the current snapshot of any table an erasure covers mentions the user (read from the Parquet files
    /// themselves, <see cref="UserMentionScan"/>), and the live state and the export know nothing of the user.
    /// </summary>
    private async Task AssertGoneAsync(string user)
    {
        using (var profile = await platform.Http.GetAsync($"/users/{user}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, profile.StatusCode);
        }
        Assert.Empty(await UserMentionScan.FindAsync(platform.LakeRoot, user, UserRows.Erased, CancellationToken.None));
        var export = await platform.GetJsonAsync($"/users/{user}/export");
        Assert.Equal(JsonValueKind.Null, export.GetProperty("profile").ValueKind);
        Assert.Equal(0, export.GetProperty("sessions").GetArrayLength());
        Assert.All(export.GetProperty("lake").EnumerateArray(), table => Assert.Equal(0, table.GetProperty("rows").GetArrayLength()));
        var segments = await QueryAsync($"SELECT count(*) FROM gold.user_segments WHERE user_id = '{user}'");
        Assert.Equal(0, segments[0][0].GetInt64());
    }

    /// <summary>
    /// A user the simulator (seeded, so its records are known ahead) has sent app events of and sends many more of
    /// within the next seconds, once the user's profile is live and their events and segment are in the lake.
    /// </summary>
    private async Task<string> AnActiveUserWithLakeRowsAsync()
    {
        await WaitUntilAsync(async () => (await platform.GetJsonAsync("/kpis")).GetProperty("total_events").GetInt64() >= 300, "300 events counted");
        var sent = (int)(await platform.GetJsonAsync("/kpis")).GetProperty("total_events").GetInt64();
        var events = platform.FirstUserEvents(sent + 3_000);
        var seen = events.Take(sent).Where(record => record.Event is AppEvent).Select(record => record.Key).ToHashSet(StringComparer.Ordinal);
        var user = events.Skip(sent + 150).Where(record => seen.Contains(record.Key))
            .GroupBy(record => record.Key, StringComparer.Ordinal)
            .OrderByDescending(group => group.Count()).ThenBy(group => group.Key, StringComparer.Ordinal)
            .First().Key;
        await WaitUntilAsync(async () =>
            (await QueryAsync($"SELECT count(*) FROM silver.app_events e JOIN gold.user_segments s USING (user_id) WHERE user_id = '{user}'"))[0][0].GetInt64() > 0,
            $"{user}'s app events and segment in the lake");
        return user;
    }

    private async Task<long> CountAsync(string sql) => (await QueryAsync(sql))[0][0].GetInt64();

    private Task<List<JsonElement[]>> QueryAsync(string sql) => platform.QueryAsync(sql);

    private Task<HttpResponseMessage> PostQueryAsync(string sql) => platform.Http.PostAsJsonAsync("/query", new { sql });

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Waited {Patience.TotalSeconds} s for {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }
}
