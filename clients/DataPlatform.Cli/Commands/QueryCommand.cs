using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using DataPlatform.Cli.Output;

namespace DataPlatform.Cli.Commands;

/// <summary><c>dp query "&lt;sql&gt;"</c>: POST /query, read-only SQL over the lake's committed tables.</summary>
public static class QueryCommand
{
    /// <summary>The most rows the server returns for one query (docs/lake.md).</summary>
    public const int MaxLimit = 10_000;

    public static Command Create(GlobalOptions global, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(console);
        var sql = new Argument<string>("sql")
        {
            Description = "one read-only SQL statement over tables named layer.table, e.g. \"SELECT event_type, count(*) FROM silver.app_events GROUP BY 1\"",
        };
        var limit = new Option<int?>("--limit", "-n") { Description = $"the most rows to return, 1 to {MaxLimit:N0} (the server's default when left out)" };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value is < 1 or > MaxLimit)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"--limit must be from 1 to {MaxLimit} (got {value})."));
            }
        });
        var format = OutputFormats.Option();
        var command = new Command("query", "Run read-only SQL over the lake (POST /query). PII columns read as *** unless the key is an admin's.")
        {
            sql,
            limit,
            format,
        };
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            using var client = global.Client(parse);
            var body = new JsonObject { ["sql"] = parse.GetValue(sql) };
            if (parse.GetValue(limit) is { } rowLimit)
            {
                body["limit"] = rowLimit;
            }
            var answer = await client.PostAsync("/query", body, cancellationToken);
            var outputFormat = OutputFormats.Parse(parse.GetValue(format));
            var columns = JsonText.Field(answer, "columns").EnumerateArray().Select(column => JsonText.Cell(column, "name")).ToList();
            var rows = RowSet.OfArrays(JsonText.Field(answer, "rows"), columns);
            await Print.RowsAsync(console, outputFormat, rows, answer);
            var truncated = JsonText.Field(answer, "truncated").ValueKind == System.Text.Json.JsonValueKind.True;
            Print.Note(console, outputFormat, $"{JsonText.Cell(answer, "row_count")} rows in {JsonText.Cell(answer, "elapsed_ms")} ms{(truncated ? "; truncated: more rows match (raise --limit)" : "")}");
            if (truncated && outputFormat == OutputFormat.Csv)
            {
                await console.Error.WriteLineAsync("note: truncated: more rows match than were returned (raise --limit).");
            }
            return ExitCodes.Ok;
        });
    }
}
