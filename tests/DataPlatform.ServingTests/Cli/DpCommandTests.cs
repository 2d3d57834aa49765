using System.Text.Json;

namespace DataPlatform.ServingTests.Cli;

/// <summary>Each <c>dp</c> command against a running silo with API keys: what it prints and the exit code it ends with.</summary>
public sealed class DpCommandTests(CliPlatform platform) : IClassFixture<CliPlatform>
{
    [Fact]
    public async Task Tables_lists_every_table_for_people_and_as_csv()
    {
        var table = await platform.DpAsync("tables");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("silver.app_events", table.Output);
        Assert.Contains("bronze.app_events", table.Output);

        var csv = await platform.DpAsync("tables", "--layer", "silver", "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        var silver = await platform.AdminGetJsonAsync("/tables?layer=silver");
        Assert.Equal("name,layer,row_count,file_count,size_bytes,version,last_updated,description", csv.Lines[0]);
        Assert.Equal(silver.GetArrayLength(), csv.Lines.Count - 1);
        Assert.All(csv.Lines.Skip(1), line => Assert.Equal("silver", line.Split(',')[1]));
        Assert.Contains(csv.Lines, line => line.StartsWith("silver.app_events,silver,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Describe_lists_the_columns_of_the_catalog_entry()
    {
        var csv = await platform.DpAsync("describe", "silver.app_events", "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        var detail = await platform.AdminGetJsonAsync("/tables/silver.app_events");
        Assert.Equal("name,type,nullable,pii,description", csv.Lines[0]);
        Assert.Equal(
            detail.GetProperty("schema").EnumerateArray().Select(column => column.GetProperty("name").GetString()!).ToList(),
            csv.Lines.Skip(1).Select(line => line.Split(',')[0]).ToList());

        var table = await platform.DpAsync("describe", "silver.app_events");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("retention_days", table.Output);
        Assert.Contains("event_id", table.Output);
    }

    [Fact]
    public async Task Describe_of_an_unknown_table_exits_1_with_the_servers_detail()
    {
        var run = await platform.DpAsync("describe", "silver.no_such_table");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(await platform.ProblemOfGetAsync("/tables/silver.no_such_table"), run.Error);
        Assert.Contains("HTTP 404", run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Query_prints_rows_as_a_table_as_csv_and_as_json()
    {
        const string sql = "SELECT 1 AS one, 'a,b' AS text";

        var csv = await platform.DpAsync("query", sql, "--format", "csv");
        Assert.True(csv.ExitCode == 0, csv.ToString());
        Assert.Equal("one,text\r\n1,\"a,b\"\r\n", csv.Output);

        var json = await platform.DpAsync("query", sql, "--format", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var answer = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(1, answer.GetProperty("row_count").GetInt32());
        Assert.Equal(new[] { "one", "text" }, answer.GetProperty("columns").EnumerateArray().Select(column => column.GetProperty("name").GetString()!));

        var table = await platform.DpAsync("query", sql);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("a,b", table.Output);
        Assert.Contains("1 rows in", table.Output);
    }

    [Theory]
    [InlineData("SELEC nothing FROM")]
    [InlineData("SELECT count(*) FROM silver.no_such_table")]
    public async Task Bad_sql_or_an_unknown_table_exits_1_with_the_servers_detail(string sql)
    {
        var run = await platform.DpAsync("query", sql, "--format", "csv");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(await platform.ProblemOfQueryAsync(sql), run.Error);
        Assert.Contains("HTTP 400", run.Error);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task User_shows_the_live_profile_and_recent_sessions()
    {
        var userId = platform.FirstUserEvents(1)[0].Key;
        await platform.WhenAnsweredAsync($"/users/{userId}", profile => profile.GetProperty("total_events").GetInt64() > 0);

        var table = await platform.DpAsync("user", userId);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(userId, table.Output);
        Assert.Contains("total_events", table.Output);
        Assert.Contains("recent sessions", table.Output);

        var json = await platform.DpAsync("user", userId, "--format", "json");
        Assert.True(json.ExitCode == 0, json.ToString());
        var answer = JsonDocument.Parse(json.Output).RootElement;
        Assert.Equal(userId, answer.GetProperty("profile").GetProperty("user_id").GetString());
        Assert.Equal(JsonValueKind.Array, answer.GetProperty("sessions").ValueKind);
    }

    [Fact]
    public async Task An_unknown_user_exits_1_with_the_servers_detail()
    {
        var run = await platform.DpAsync("user", "nobody-the-cli-asked-for");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(await platform.ProblemOfGetAsync("/users/nobody-the-cli-asked-for"), run.Error);
    }

    [Fact]
    public async Task Kpis_print_the_snapshot_and_watch_prints_the_updates_the_hub_pushes()
    {
        var table = await platform.DpAsync("kpis");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("events_per_second", table.Output);
        Assert.Contains("active_users", table.Output);

        var once = await platform.DpAsync("kpis", "--format", "json");
        Assert.True(once.ExitCode == 0, once.ToString());
        Assert.True(JsonDocument.Parse(once.Output).RootElement.TryGetProperty("total_events", out _), once.Output);

        var watch = await platform.DpAsync("kpis", "--watch", "--count", "2", "--format", "json");
        Assert.True(watch.ExitCode == 0, watch.ToString());
        Assert.Equal(2, watch.Lines.Count);
        Assert.All(watch.Lines, line => Assert.True(JsonDocument.Parse(line).RootElement.TryGetProperty("at", out _), line));
    }

    [Fact]
    public async Task Keys_are_created_listed_and_revoked_and_each_key_gets_its_roles_answers()
    {
        var created = await platform.DpAsync("keys", "create", "--name", "cli wall screen", "--role", "viewer", "--format", "json");
        Assert.True(created.ExitCode == 0, created.ToString());
        var key = JsonDocument.Parse(created.Output).RootElement;
        var id = key.GetProperty("id").GetString()!;
        var token = key.GetProperty("key").GetString()!;

        var listed = await platform.DpAsync("keys", "list", "--format", "csv");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.Contains(listed.Lines, line => line.StartsWith($"{id},cli wall screen,viewer,", StringComparison.Ordinal));

        var kpis = await platform.DpWithKeyAsync(token, "kpis");
        Assert.True(kpis.ExitCode == 0, kpis.ToString());
        var tables = await platform.DpWithKeyAsync(token, "tables");
        Assert.True(tables.ExitCode == 1, tables.ToString());
        Assert.Contains("HTTP 403", tables.Error);

        var revoked = await platform.DpAsync("keys", "revoke", id, "--format", "json");
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal(JsonValueKind.String, JsonDocument.Parse(revoked.Output).RootElement.GetProperty("revoked_at").ValueKind);
        var refused = await platform.DpWithKeyAsync(token, "kpis");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("HTTP 401", refused.Error);
    }

    [Fact]
    public async Task Keys_create_prints_only_the_token_on_standard_output()
    {
        var run = await platform.DpAsync("keys", "create", "--name", "cli script", "--role", "analyst");

        Assert.True(run.ExitCode == 0, run.ToString());
        var token = Assert.Single(run.Lines);
        Assert.StartsWith("dp_", token, StringComparison.Ordinal);
        Assert.Contains("shown this once", run.Error);
        var tables = await platform.DpWithKeyAsync(token, "tables", "--format", "json");
        Assert.True(tables.ExitCode == 0, tables.ToString());
    }

    [Fact]
    public async Task Without_a_key_the_silo_answers_401_and_dp_exits_1()
    {
        var run = await platform.DpWithKeyAsync(null, "tables");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("HTTP 401", run.Error);
    }

    [Fact]
    public async Task The_url_and_key_come_from_DP_URL_and_DP_API_KEY()
    {
        var run = await DpRun.RunAsync(["tables", "--format", "csv"], new Dictionary<string, string>
        {
            ["DP_URL"] = platform.BaseAddress.ToString(),
            ["DP_API_KEY"] = platform.AdminKey,
        });

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(run.Lines, line => line.StartsWith("silver.app_events,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Simulate_sends_the_records_to_kafka_and_reports_them_delivered()
    {
        var run = await platform.DpAsync("simulate", "--bootstrap", platform.KafkaBootstrap, "--count", "40", "--rate", "1000", "--users", "5", "--seed", "9");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("40 records of run", run.Output);
        Assert.Contains("40 delivered, 0 failed", run.Output);
    }

    [Fact]
    public async Task Verify_finds_no_problem_in_the_running_platforms_lake()
    {
        await platform.WhenAnsweredAsync("/tables/bronze.app_events", table => table.GetProperty("row_count").GetInt64() > 0);

        var run = await platform.DpAsync("verify", "--root", platform.LakeRoot, "--format", "json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var tables = JsonDocument.Parse(run.Output).RootElement.EnumerateArray().ToList();
        var appEvents = Assert.Single(tables, table => table.GetProperty("table").GetString() == "bronze.app_events");
        Assert.True(appEvents.GetProperty("rows").GetInt64() > 0);
        Assert.All(tables, table => Assert.Equal(0, table.GetProperty("problems").GetArrayLength()));
    }
}
