using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataPlatform.Cli.Output;
using DataPlatform.Cli.Platform;
using Spectre.Console;

namespace DataPlatform.Cli.Commands;

/// <summary><c>dp user &lt;id&gt;</c>: GET /users/{id} and GET /users/{id}/sessions, a user's live profile and recent sessions.</summary>
public static class UserCommand
{
    private static readonly string[] SessionColumns =
        ["session_id", "started_at", "last_activity", "duration_s", "events", "page_views", "clicks", "is_bounce", "converted", "entry_page", "exit_page", "closed"];

    public static Command Create(GlobalOptions global, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(console);
        var id = new Argument<string>("id") { Description = "the user id, e.g. user_000146" };
        var format = OutputFormats.Option(rows: false);
        var command = new Command("user", "Show a user's live profile (events, revenue, segment, churn risk) and 20 most recent sessions (GET /users/{id}, /users/{id}/sessions).")
        {
            id,
            format,
        };
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            using var client = global.Client(parse);
            var user = parse.GetValue(id)!;
            var profile = await client.GetAsync(PlatformClient.Path("users", user), cancellationToken);
            var sessions = await client.GetAsync(PlatformClient.Path("users", user, "sessions"), cancellationToken);
            if (OutputFormats.Parse(parse.GetValue(format)) == OutputFormat.Json)
            {
                var both = new JsonObject { ["profile"] = JsonNode.Parse(profile.GetRawText()), ["sessions"] = JsonNode.Parse(sessions.GetRawText()) };
                await JsonText.WriteIndentedAsync(console.Text, JsonSerializer.SerializeToElement(both, CliJsonContext.Default.JsonObject));
                return ExitCodes.Ok;
            }
            console.Out.Write(RowSet.OfFields(profile).ToTable(user));
            var recent = RowSet.OfObjects(sessions, SessionColumns);
            console.Out.Write(recent.ToTable("recent sessions"));
            console.Out.WriteLine($"{recent.Count} sessions shown of {JsonText.Cell(profile, "sessions")}");
            return ExitCodes.Ok;
        });
    }
}
