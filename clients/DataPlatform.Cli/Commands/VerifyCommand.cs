using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataPlatform.Cli.Output;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Tables;
using Spectre.Console;

namespace DataPlatform.Cli.Commands;

/// <summary>
/// <c>dp verify [--root data/lake]</c>: checks a lake from disk as any reader would (<see cref="LakeVerifier"/>, what
/// <c>dp-lake verify</c> runs): each table's log replays, every committed file exists with the SHA-256 and row count
/// the log recorded, and no partial Parquet file sits under a final name. Exit code 1 when a problem is found.
/// </summary>
public static class VerifyCommand
{
    public const string RootVariable = "DP_LAKE_ROOT";

    public static Command Create(CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new Option<string>("--root")
        {
            Description = $"the lake's directory on this machine (the silo's Lake:Root) [env {RootVariable}]",
            DefaultValueFactory = _ => console.Environment(RootVariable) is { Length: > 0 } directory ? directory : Path.Combine("data", "lake"),
        };
        var format = OutputFormats.Option(rows: false);
        var command = new Command("verify", "Verify the lake's files against each table's transaction log, from disk (no silo needed). Exit code 1 when a problem is found.")
        {
            root,
            format,
        };
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(root)!;
            if (!Directory.Exists(directory))
            {
                throw CommandFailedException.Usage($"there is no lake at '{directory}': pass --root with the silo's Lake:Root.");
            }
            var verified = await LakeVerifier.VerifyAsync(directory, PlatformTables.All, cancellationToken);
            var json = OutputFormats.Parse(parse.GetValue(format)) == OutputFormat.Json;
            if (json)
            {
                await console.Text.WriteLineAsync(JsonSerializer.Serialize(verified, CliJsonContext.Default.IReadOnlyListTableVerification));
                await console.Text.FlushAsync(cancellationToken);
            }
            else
            {
                ShowTable(console, verified);
            }
            var problems = verified.Sum(table => table.Problems.Count);
            if (problems > 0)
            {
                throw new CommandFailedException(ExitCodes.ServerError, string.Create(CultureInfo.InvariantCulture,
                    $"{problems} problems in {verified.Count(table => table.Problems.Count > 0)} of {verified.Count} tables."));
            }
            if (!json)
            {
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verified.Count} tables verified: no problem found."));
            }
            return ExitCodes.Ok;
        });
    }

    private static void ShowTable(CliConsole console, IReadOnlyList<TableVerification> verified)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "table", "version", "files", "rows", "uncommitted", "problems" })
        {
            table.AddColumn(new TableColumn(new Text(column, new Style(decoration: Decoration.Bold))));
        }
        foreach (var result in verified)
        {
            table.AddRow(
                new Text(result.Table),
                new Text(result.Version.ToString(CultureInfo.InvariantCulture)),
                new Text(result.Files.ToString(CultureInfo.InvariantCulture)),
                new Text(result.Rows.ToString(CultureInfo.InvariantCulture)),
                new Text(result.UncommittedFiles.ToString(CultureInfo.InvariantCulture)),
                new Text(result.Problems.Count == 0 ? "none" : string.Join('\n', result.Problems)));
        }
        console.Out.Write(table);
    }
}
