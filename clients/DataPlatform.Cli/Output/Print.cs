using System.Text.Json;
using Spectre.Console;

namespace DataPlatform.Cli.Output;

/// <summary>Prints an answer in the format the command line asked for.</summary>
public static class Print
{
    /// <summary>Rows as a table or CSV; JSON prints <paramref name="answer"/>, the server's answer as it came.</summary>
    public static async Task RowsAsync(CliConsole console, OutputFormat format, RowSet rows, JsonElement answer, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(rows);
        switch (format)
        {
            case OutputFormat.Json:
                await JsonText.WriteIndentedAsync(console.Text, answer);
                break;
            case OutputFormat.Csv:
                await console.Text.WriteAsync(rows.ToCsv());
                await console.Text.FlushAsync();
                break;
            default:
                console.Out.Write(rows.ToTable(title));
                break;
        }
    }

    /// <summary>A line under a table (counts, timings): only in the table format, so CSV and JSON stay parseable.</summary>
    public static void Note(CliConsole console, OutputFormat format, string line)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (format == OutputFormat.Table)
        {
            console.Out.WriteLine(line);
        }
    }
}
