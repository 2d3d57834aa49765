using System.Net;
using System.Text.Json;
using DataPlatform.Grains.Lake;
using DataPlatform.Lake.Tables;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Http;

/// <summary>GET /health on the real host names a lake table whose flushes keep failing, and answers 200 from cached figures.</summary>
[Collection(RunningPlatformDefinition.Name)]
public sealed class LakeHealthTests(RunningPlatform platform)
{
    private const string Table = "bronze.external";

    private static async Task FlushOneRowAsync(LakeWriter writer)
    {
        writer.Append(Table, BronzeRows.Record(default, false, "{}"u8, null, null, null, DateTimeOffset.UtcNow, BronzeRows.InProcess));
        await writer.FlushAppendsAsync(CancellationToken.None);
    }

    private static JsonElement[] FailingTables(JsonElement health) => [.. health.GetProperty("lake").GetProperty("failing_tables").EnumerateArray()];

    [Fact]
    public async Task A_table_that_cannot_be_written_is_named_in_a_degraded_lake_check_and_clears_when_it_can()
    {
        var writer = platform.Services.GetRequiredService<LakeWriter>();
        var path = LakeTable.TablePath(platform.LakeRoot, Table);
        Directory.CreateDirectory(path);
        // A regular file where the table's directory was: no partition directory can be created, for root too.
        Directory.Move(path, path + ".aside");
        await File.WriteAllTextAsync(path, "not a directory");
        try
        {
            await FlushOneRowAsync(writer);
            await FlushOneRowAsync(writer);

            using var response = await platform.Http.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            // The error names the table's directory relative to the lake, never the machine's path.
            Assert.False(body.Contains(Path.GetFullPath(platform.LakeRoot).TrimEnd('/'), StringComparison.Ordinal), body);
            var health = JsonDocument.Parse(body).RootElement;
            var lake = health.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == "lake");
            Assert.Equal("degraded", lake.GetProperty("status").GetString());
            Assert.Contains($"failing: {Table} (", lake.GetProperty("detail").GetString(), StringComparison.Ordinal);
            var failing = Assert.Single(FailingTables(health), table => table.GetProperty("table").GetString() == Table);
            Assert.True(failing.GetProperty("consecutive_failures").GetInt32() >= 2);
            Assert.True(failing.GetProperty("rows_waiting").GetInt64() >= 2);
            Assert.False(string.IsNullOrEmpty(failing.GetProperty("last_error").GetString()));
            Assert.Equal("degraded", health.GetProperty("status").GetString());
        }
        finally
        {
            File.Delete(path);
            Directory.Move(path + ".aside", path);
        }

        await FlushOneRowAsync(writer);
        var recovered = await platform.GetJsonAsync("/health");
        Assert.DoesNotContain(FailingTables(recovered), table => table.GetProperty("table").GetString() == Table);
        Assert.True(recovered.TryGetProperty("figures_age_s", out _));
    }
}
