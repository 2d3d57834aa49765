using System.CommandLine;
using DataPlatform.Cli.Output;

namespace DataPlatform.Cli.Commands;

/// <summary><c>dp tables [--layer bronze|silver|gold]</c>: GET /tables, every lake table with its size and freshness.</summary>
public static class TablesCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(console);
        var layer = new Option<string?>("--layer", "-l") { Description = "only this layer's tables", HelpName = "bronze|silver|gold" };
        layer.AcceptOnlyFromAmong("bronze", "silver", "gold");
        var format = OutputFormats.Option();
        var command = new Command("tables", "List the lake's tables: rows, files, size, version and when each last changed (GET /tables).")
        {
            layer,
            format,
        };
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            using var client = global.Client(parse);
            var path = parse.GetValue(layer) is { } only ? $"/tables?layer={Uri.EscapeDataString(only)}" : "/tables";
            var tables = await client.GetAsync(path, cancellationToken);
            var outputFormat = OutputFormats.Parse(parse.GetValue(format));
            // People read sizes in KiB and MiB; CSV keeps the exact bytes.
            var people = outputFormat == OutputFormat.Table;
            var rows = new RowSet(["name", "layer", "row_count", "file_count", people ? "size" : "size_bytes", "version", "last_updated", "description"]);
            foreach (var table in tables.EnumerateArray())
            {
                var size = JsonText.Field(table, "size_bytes");
                rows.Add(
                [
                    JsonText.Field(table, "name"), JsonText.Field(table, "layer"), JsonText.Field(table, "row_count"), JsonText.Field(table, "file_count"),
                    people ? JsonText.OfText(JsonText.Bytes(size)) : size,
                    JsonText.Field(table, "version"), JsonText.Field(table, "last_updated"), JsonText.Field(table, "description"),
                ]);
            }
            await Print.RowsAsync(console, outputFormat, rows, tables);
            Print.Note(console, outputFormat, $"{rows.Count} tables");
            return ExitCodes.Ok;
        });
    }
}
