using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using DataPlatform.Lake.Sql;
using Microsoft.Extensions.DependencyInjection;

namespace DataPlatform.ServingTests.Http;

/// <summary>POST /query against hostile input: every DuckDB type, malformed requests, hidden statements, path probes, memory and concurrency.</summary>
[Collection(RunningPlatformDefinition.Name)]
public sealed class QueryHardeningTests(RunningPlatform platform)
{
    private static readonly string SpillRoot = Path.Combine(Path.GetTempPath(), "dataplatform-sql");

    private async Task<(HttpStatusCode Status, string MediaType, string Body)> PostAsync(string body, string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await platform.Http.PostAsync("/query", content);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", await response.Content.ReadAsStringAsync());
    }

    private Task<(HttpStatusCode Status, string MediaType, string Body)> QueryAsync(string sql, int? limit = null) =>
        PostAsync(JsonSerializer.Serialize(new { sql, limit }), "application/json");

    [Fact]
    public async Task Values_of_types_dotnet_cannot_carry_answer_in_their_json_form()
    {
        var (status, _, body) = await QueryAsync(
            "SELECT 'NaN'::DOUBLE, '-inf'::FLOAT, 'infinity'::TIMESTAMP, '-infinity'::DATE, '294247-01-10 04:00:54.775806'::TIMESTAMP, "
            + "'5000000-01-01'::DATE, '0044-03-15 (BC)'::DATE, CAST('12345678901234567890.1234567890' AS DECIMAL(38,10)), "
            + "INTERVAL '1 year 2 months', '12:00:00'::TIME_NS, union_value(k := 1), 'POINT(1 2)'::GEOMETRY, 1::VARIANT, "
            + "[1, 2], {'x': [1.5, 'nan'::DOUBLE]}, MAP {1: 'a'}, '\\xAA\\x00'::BLOB, CAST('340282366920938463463374607431768211455' AS UHUGEINT), "
            + "TIMESTAMPTZ '2026-11-23 10:00:01+00', '0101'::BIT, '{\"a\": 1}'::JSON, NULL");

        Assert.True(status == HttpStatusCode.OK, body);
        var expected = JsonDocument.Parse("""
            ["NaN", "-Infinity", "infinity", "-infinity", "294247-01-10 04:00:54.775806", "5000000-01-01", "0044-03-15 (BC)",
             12345678901234567890.1234567890, "1 year 2 months", "12:00:00", {"k": 1}, "POINT (1 2)", "1", [1, 2], {"x": [1.5, "NaN"]},
             {"1": "a"}, "qgA=", 340282366920938463463374607431768211455, "2026-11-23 10:00:01+00", "0101", {"a": 1}, null]
            """).RootElement;
        var answer = JsonDocument.Parse(body).RootElement;
        var row = answer.GetProperty("rows")[0];
        Assert.True(JsonElement.DeepEquals(expected, row), row.GetRawText());
        Assert.Equal("DECIMAL(38,10)", answer.GetProperty("columns")[7].GetProperty("type").GetString());
    }

    public static TheoryData<string, string> MalformedRequests => new()
    {
        { "{sql: nope", "application/json" },
        { "{\"sql\": \"SELECT 1\"", "application/json" },
        { "{\"sql\": 42}", "application/json" },
        { "{\"sql\": [\"SELECT 1\"]}", "application/json" },
        { "{\"sql\": \"SELECT 1\", \"limit\": -1}", "application/json" },
        { "{\"sql\": \"SELECT 1\", \"limit\": 99999999999999}", "application/json" },
        { "{\"sql\": \"SELECT 1\", \"limit\": 1.5}", "application/json" },
        { "{\"sql\": \"SELECT 1\", \"limit\": 1000000}", "application/json" },
        { "{\"sql\": null}", "application/json" },
        { "null", "application/json" },
        { "[]", "application/json" },
        { "", "application/json" },
        { "{\"sql\": \"SELECT 1\"}", "text/plain" },
        { "{\"sql\": \"SELECT 1\"}", "application/xml" },
        { "{\"sql\": \"SELECT 1\"}", "application/json; charset=bogus" },
        { "{\"sql\": \"SELECT 1\"}", "application/json; charset=utf-16" },
        { "{\"sql\": \"SELECT 1\"}", "application/json; charset=" },
        { "{\"sql\": \"SELECT \\u0000 1\"}", "application/json" },
        { "SELECT 1", "application/json" },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Malformed_requests_get_a_4xx_problem_with_a_detail(string body, string contentType)
    {
        var (status, mediaType, answer) = await PostAsync(body, contentType);
        Assert.True((int)status is >= 400 and < 500, $"{(int)status} {answer}");
        Assert.Equal("application/problem+json", mediaType);
        var detail = JsonDocument.Parse(answer).RootElement.GetProperty("detail").GetString();
        Assert.False(string.IsNullOrWhiteSpace(detail), answer);
        Assert.DoesNotContain("DataPlatform.", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_sql_gets_2xx_or_4xx_and_never_shows_a_machine_path()
    {
        var lake = platform.LakeRoot;
        await QueryAsync("SELECT count(*) FROM silver.app_events"); // the table exists whether or not rows have arrived
        var target = Path.Combine(lake, "x.csv");
        var hostile = new[]
        {
            $"SELECT E'\\''; COPY (SELECT 42) TO '{target}'; --'",
            $"SELECT 1) AS q; COPY (SELECT 42) TO '{target}'; SELECT * FROM (SELECT 1",
            "SELECT current_setting('allowed_directories')",
            "SELECT current_setting('temp_directory'), current_setting('secret_directory'), current_setting('home_directory')",
            "SELECT * FROM duckdb_settings()",
            "SELECT sql FROM duckdb_views() WHERE (SELECT count(*) FROM silver.app_events) >= 0",
            "SELECT * FROM duckdb_functions() WHERE macro_definition IS NOT NULL LIMIT 5",
            "EXPLAIN ANALYZE SELECT * FROM silver.app_events",
            "EXPLAIN SELECT * FROM silver.app_events",
            $"SELECT * FROM read_parquet('{lake}/nothing.parquet')",
            $"SELECT * FROM read_text('{lake}/silver/app_events/_delta_log/00000000000000000000.json')",
            $"SELECT * FROM glob('{lake}/**')",
            "SELECT * FROM read_text('/etc/passwd')",
            "SELECT * FROM silver.app_events VERSION AS OF 999999",
            "SELECT * FROM gold.nothing",
            "SELECT no_such_column FROM silver.app_events",
            "SET memory_limit = '100GB'",
            "PRAGMA version",
            "SELECT 1; SELECT 2",
        };
        foreach (var sql in hostile)
        {
            var (status, _, body) = await QueryAsync(sql, 50);
            Assert.True((int)status is >= 200 and < 500, $"{sql}: {(int)status} {body}");
            Assert.DoesNotContain(lake[..^8], body, StringComparison.Ordinal); // cut short paths too
            Assert.DoesNotContain(SpillRoot, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + "/", body, StringComparison.Ordinal);
            if (status != HttpStatusCode.OK)
            {
                Assert.False(string.IsNullOrWhiteSpace(JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString()), sql);
            }
        }
        Assert.False(File.Exists(target));
    }

    [Fact]
    public async Task A_query_past_its_memory_limit_answers_400_and_the_memory_comes_back()
    {
        await QueryAsync("SELECT 1");
        var before = ResidentBytes();

        var (status, _, body) = await QueryAsync("SELECT len(l) FROM (SELECT list(range) AS l FROM range(250000000))");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("exceeded the memory limit", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var after = ResidentBytes();
        Assert.True(after < before + 600L * 1024 * 1024, $"resident memory went from {before >> 20} MiB to {after >> 20} MiB");
    }

    [Fact]
    public async Task Queries_beyond_the_lakes_places_answer_429_with_retry_after()
    {
        var admission = platform.Services.GetRequiredService<LakeQueryEngine>().Admission;
        var held = new List<IDisposable>();
        try
        {
            for (var i = 0; i < admission.Places; i++)
            {
                held.Add(await admission.EnterAsync(default));
            }
            using var response = await platform.Http.PostAsync("/query", new StringContent("{\"sql\": \"SELECT 1\"}", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Contains("already running", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        finally
        {
            held.ForEach(lease => lease.Dispose());
        }
        var (status, _, _) = await QueryAsync("SELECT 1");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static long ResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
