using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DataPlatform.Cli.Output;
using DataPlatform.Cli.Platform;
using Spectre.Console;

namespace DataPlatform.Cli.Commands;

/// <summary>
/// <c>dp kpis [--watch [--count N]]</c>: the live KPI snapshot (GET /kpis), or its updates as they come over the
/// SignalR hub /hubs/kpis. At a terminal the table redraws in place; otherwise each snapshot is printed in turn
/// (a table each, or one JSON object per line).
/// </summary>
public static class KpisCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(console);
        var watch = new Option<bool>("--watch", "-w") { Description = "keep the figures up to date as the silo pushes them (SignalR /hubs/kpis), until Ctrl+C" };
        var count = new Option<int?>("--count", "-c") { Description = "with --watch: stop after this many updates" };
        count.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is < 1)
            {
                result.AddError("--count must be at least 1.");
            }
        });
        var format = OutputFormats.Option(rows: false);
        var command = new Command("kpis", "Show the live KPIs: events per second, active users and sessions, orders and revenue today, lag, segments (GET /kpis).")
        {
            watch,
            count,
            format,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(count) is { Implicit: false } && !result.GetValue(watch))
            {
                result.AddError("--count only applies with --watch.");
            }
        });
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            var outputFormat = OutputFormats.Parse(parse.GetValue(format));
            if (!parse.GetValue(watch))
            {
                using var client = global.Client(parse);
                await ShowAsync(console, outputFormat, await client.GetAsync("/kpis", cancellationToken));
                return ExitCodes.Ok;
            }
            await using var feed = await KpiFeed.ConnectAsync(global.AddressOf(parse), parse.GetValue(global.ApiKey), cancellationToken);
            var limit = parse.GetValue(count);
            var shown = 0;
            try
            {
                if (console.IsInteractive && outputFormat == OutputFormat.Table)
                {
                    var first = await feed.NextAsync(cancellationToken);
                    await console.Out.Live(ToTable(first)).StartAsync(async live =>
                    {
                        for (shown = 1; limit is not { } most || shown < most; shown++)
                        {
                            live.UpdateTarget(ToTable(await feed.NextAsync(cancellationToken)));
                            live.Refresh();
                        }
                    });
                }
                else
                {
                    while (limit is not { } most || shown < most)
                    {
                        await ShowAsync(console, outputFormat, await feed.NextAsync(cancellationToken), oneLine: true);
                        shown++;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C ends a watch: that is how it is meant to stop.
            }
            return ExitCodes.Ok;
        });
    }

    private static async Task ShowAsync(CliConsole console, OutputFormat format, JsonElement snapshot, bool oneLine = false)
    {
        if (format == OutputFormat.Json)
        {
            if (oneLine)
            {
                await console.Text.WriteLineAsync(JsonText.Compact(snapshot));
                await console.Text.FlushAsync();
            }
            else
            {
                await JsonText.WriteIndentedAsync(console.Text, snapshot);
            }
            return;
        }
        console.Out.Write(ToTable(snapshot));
    }

    private static Table ToTable(JsonElement snapshot) =>
        RowSet.OfFields(snapshot).ToTable(string.Create(CultureInfo.InvariantCulture, $"KPIs at {JsonText.Cell(snapshot, "at")}"));
}
