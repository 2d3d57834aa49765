using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Erasure;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Tables;
using Xunit.Abstractions;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// The erasure acceptance (docs/security.md, "Erasure"): on a cluster.sh cluster of two silos on PostgreSQL, a user
/// is erased while a seeded run keeps producing their events, and the silo that was asked is killed during the
/// erasure. Nobody asks again: the erasure finishes on its own. Afterwards no live state, session, segment or lake
/// row of the current snapshot holds the user, the export is empty, the user's later records were dropped and
/// counted, the audit log and the register record the erasure, and past the erasure deadline the versions before it
/// can no longer be read. A cluster of its own: the erasure changes figures the exact-figure tests compare.
/// </summary>
public sealed class ErasureUnderFailureTests(ErasureCluster fixture, ITestOutputHelper output) : IClassFixture<ErasureCluster>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    [Fact]
    public async Task A_user_erased_while_events_flow_and_the_asked_silo_dies_is_gone_everywhere_and_stays_gone()
    {
        var cluster = new RunningCluster(fixture.Script, fixture.Api, output);
        await cluster.StartAsync(ErasureCluster.Silos);
        var run = new SeededRun(RunningCluster.Seed(), RunningCluster.Records);
        var user = UserWithEventsThroughout(run);
        var erasureId = ErasureRegister.ErasureIdOf(user);
        cluster.Log($"seed {run.Seed}: erasing {user} ({erasureId}) while {run.Body.Count} records flow");

        var producing = cluster.ProduceAsync(run.Body, TimeSpan.FromSeconds(30));
        await cluster.WaitUntilAsync(async () => await fixture.Api.GetAsync<UserProfile>(2, $"/users/{user}") is not null, $"{user}'s profile live");
        await cluster.WaitForCheckpointAsync();
        var versionBefore = await TableVersionAsync("silver.app_events");

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(5) };
        var asked = http.DeleteAsync(new Uri(fixture.Script.WebAddress(1), $"/users/{user}"));
        await cluster.WaitUntilAsync(async () => await RegisterRowsAsync(erasureId, ErasureStatus.Requested) > 0, "the erasure registered");
        using (var kill = fixture.Script.PrepareKill(1))
        {
            await kill.RunAsync();
        }
        cluster.Log($"silo 1 killed during the erasure (its answer: {await AnswerOf(asked)})");
        await fixture.Script.RunAsync("start-silo", "1");
        await cluster.WaitUntilAsync(cluster.ReadingAsync, "every silo reading partitions again");

        await cluster.WaitForAsync(() => RegisterRowsAsync(erasureId, ErasureStatus.Completed), count => count > 0,
            "the erasure completed without being asked again", TimeSpan.FromSeconds(1));
        cluster.Log("the erasure completed");
        await producing;
        await cluster.WaitUntilAsync(async () => (await cluster.HealthAsync()).All(health => health is { ConsumerLag: 0 }), "every record read");
        await cluster.WaitForCheckpointAsync();

        foreach (var silo in cluster.Silos)
        {
            Assert.Null(await fixture.Api.GetAsync<UserProfile>(silo, $"/users/{user}"));
            foreach (var session in SessionsOf(run, user))
            {
                Assert.Null(await fixture.Api.GetAsync<SessionSnapshot>(silo, $"/sessions/{session}"));
            }
        }
        Assert.Empty(await UserMentionScan.FindAsync(fixture.Script.LakeRoot, user, UserRows.Erased, CancellationToken.None));
        using var exported = (await fixture.Api.GetAsync<JsonDocument>(2, $"/users/{user}/export"))!;
        var export = exported.RootElement;
        Assert.Equal(JsonValueKind.Null, export.GetProperty("profile").ValueKind);
        Assert.Equal(0, export.GetProperty("sessions").GetArrayLength());
        Assert.All(export.GetProperty("lake").EnumerateArray(), table => Assert.Equal(0, table.GetProperty("rows").GetArrayLength()));
        var kpis = (await fixture.Api.GetAsync<KpiSnapshot>(2, "/kpis"))!;
        cluster.Log($"{kpis.ErasedUserRecords} later record(s) of the user dropped");
        Assert.True(kpis.ErasedUserRecords > 0);

        // Asked again, it answers the first erasure's report, and the audit log has the request.
        using var again = await http.DeleteAsync(new Uri(fixture.Script.WebAddress(2), $"/users/{user}"));
        var report = (await again.Content.ReadFromJsonAsync<JsonElement>(Json))!;
        Assert.True(again.StatusCode == HttpStatusCode.OK, report.ToString());
        Assert.True(report.GetProperty("already_erased").GetBoolean());
        Assert.True(report.GetProperty("rows_removed").GetInt64() > 0, report.ToString());
        await cluster.WaitUntilAsync(async () => (await fixture.Api.QueryAsync(2,
            $"SELECT count(*) FROM gold.audit_log WHERE action = 'erase' AND status = 200 AND target = 'DELETE /users/{user}'"))[0][0].GetInt64() > 0,
            "the erasure in the audit log");

        await cluster.WaitUntilAsync(async () =>
        {
            using var response = await http.PostAsJsonAsync(new Uri(fixture.Script.WebAddress(2), "/query"),
                new { sql = $"SELECT count(*) FROM silver.app_events VERSION AS OF {versionBefore} WHERE user_id = '{user}'" });
            return response.StatusCode == HttpStatusCode.BadRequest
                && (await response.Content.ReadAsStringAsync()).Contains("can no longer be read", StringComparison.Ordinal);
        }, "the versions before the erasure purged");
        cluster.Log("the versions before the erasure can no longer be read");
    }

    /// <summary>The user with the most app events in both halves of the run: they keep sending events after the erasure.</summary>
    private static string UserWithEventsThroughout(SeededRun run)
    {
        var half = run.Body.Count / 2;
        var early = run.Body.Take(half).Select(record => record.Event).OfType<AppEvent>().Select(e => e.UserId).ToHashSet(StringComparer.Ordinal);
        return run.Body.Skip(half).Select(record => record.Event).OfType<AppEvent>()
            .Where(e => early.Contains(e.UserId))
            .GroupBy(e => e.UserId, StringComparer.Ordinal)
            .OrderByDescending(group => group.Count())
            .First().Key;
    }

    private static IEnumerable<string> SessionsOf(SeededRun run, string user) =>
        run.Body.Select(record => record.Event).OfType<AppEvent>().Where(e => e.UserId == user && e.SessionId is not null).Select(e => e.SessionId!).Distinct();

    private async Task<long> TableVersionAsync(string table)
    {
        using var entry = (await fixture.Api.GetAsync<JsonDocument>(2, $"/tables/{table}"))!;
        return entry.RootElement.GetProperty("version").GetInt64();
    }

    private async Task<long> RegisterRowsAsync(string erasureId, string status) =>
        (await fixture.Api.QueryAsync(2, $"SELECT count(*) FROM {PlatformTables.Erasures} WHERE erasure_id = '{erasureId}' AND status = '{status}'"))[0][0].GetInt64();

    private static async Task<string> AnswerOf(Task<HttpResponseMessage> asked)
    {
        try
        {
            using var answer = await asked;
            return $"{(int)answer.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return $"none: {ex.Message}";
        }
    }
}

/// <summary>A cluster.sh cluster of two silos whose erasure deadline passes within seconds.</summary>
public sealed class ErasureCluster : IAsyncLifetime
{
    public const int Silos = 2;

    public ErasureCluster()
    {
        Script = new ClusterScript([.. RunningCluster.SiloArguments, "--Lake:ErasurePurgeAfter", "00:00:05", "--Lake:MaintenanceInterval", "00:00:02"]);
        Api = new SiloApi(Script);
    }

    public ClusterScript Script { get; }

    public SiloApi Api { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Api.Dispose();
        await Script.DisposeAsync();
    }
}
