using System.CommandLine;
using DataPlatform.Cli.Output;
using DataPlatform.Cli.Platform;

namespace DataPlatform.Cli.Commands;

/// <summary><c>dp describe &lt;layer.table&gt;</c>: GET /tables/{name}, a table's catalog entry and schema.</summary>
public static class DescribeCommand
{
    private static readonly string[] Facts =
    [
        "name", "layer", "description", "owner", "mode", "version", "row_count", "file_count", "size_bytes", "last_updated",
        "last_operation", "partition_columns", "key_columns", "retention_days", "upstream", "downstream",
    ];

    private static readonly string[] SchemaColumns = ["name", "type", "nullable", "pii", "description"];

    public static Command Create(GlobalOptions global, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(console);
        var table = new Argument<string>("table") { Description = "the table, named layer.table (e.g. silver.app_events; dp tables lists them)" };
        var format = OutputFormats.Option();
        var command = new Command("describe", "Show a table's catalog entry: owner, partitions, retention, lineage and its columns (GET /tables/{name}). CSV lists the columns.")
        {
            table,
            format,
        };
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            using var client = global.Client(parse);
            var detail = await client.GetAsync(PlatformClient.Path("tables", parse.GetValue(table)!), cancellationToken);
            var outputFormat = OutputFormats.Parse(parse.GetValue(format));
            var schema = RowSet.OfObjects(JsonText.Field(detail, "schema"), SchemaColumns);
            if (outputFormat == OutputFormat.Table)
            {
                var facts = new RowSet(["field", "value"]);
                foreach (var name in Facts)
                {
                    facts.Add([JsonText.OfText(name), JsonText.Field(detail, name)]);
                }
                facts.Add([JsonText.OfText("partitions"), JsonText.OfText(PartitionsOf(detail))]);
                console.Out.Write(facts.ToTable(JsonText.Cell(detail, "name")));
            }
            await Print.RowsAsync(console, outputFormat, schema, detail, "columns");
            return ExitCodes.Ok;
        });
    }

    private static string PartitionsOf(System.Text.Json.JsonElement detail)
    {
        var partitions = JsonText.Field(detail, "partitions");
        return partitions.ValueKind == System.Text.Json.JsonValueKind.Array ? $"{partitions.GetArrayLength()}" : "";
    }
}
