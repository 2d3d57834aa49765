using System.CommandLine;

namespace DataPlatform.Cli.Output;

/// <summary>How a command prints its answer: a table for people, CSV or JSON for programs.</summary>
public enum OutputFormat
{
    Table,
    Csv,
    Json,
}

/// <summary>The <c>--format</c> option, the same on every command that prints an answer.</summary>
public static class OutputFormats
{
    public const string Table = "table";
    public const string Csv = "csv";
    public const string Json = "json";

    /// <summary>
    /// <c>--format table|csv|json</c>. Commands whose answer is one object rather than rows offer only
    /// <c>table</c> and <c>json</c> (<paramref name="rows"/> false).
    /// </summary>
    public static Option<string> Option(bool rows = true)
    {
        string[] accepted = rows ? [Table, Csv, Json] : [Table, Json];
        var option = new Option<string>("--format", "-f")
        {
            Description = rows
                ? "table (for people), csv (header and rows) or json (the server's answer, indented)"
                : "table (for people) or json (the server's answer, indented)",
            DefaultValueFactory = _ => Table,
            HelpName = string.Join('|', accepted),
        };
        option.AcceptOnlyFromAmong(accepted);
        return option;
    }

    public static OutputFormat Parse(string? text) => text switch
    {
        Csv => OutputFormat.Csv,
        Json => OutputFormat.Json,
        _ => OutputFormat.Table,
    };
}
