using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DataPlatform.Cli.Output;
using DataPlatform.Cli.Platform;

namespace DataPlatform.Cli.Commands;

/// <summary>
/// <c>dp keys list|show|create|revoke</c>: API keys over the REST admin endpoints (/admin/keys), with an admin's key.
/// <c>keys create</c> writes only the new token to standard output, as the silo's own <c>keys create</c> does,
/// so that a script can capture it.
/// </summary>
public static class KeysCommand
{
    private static readonly string[] Columns = ["id", "name", "role", "created_at", "revoked_at"];
    private static readonly string[] Roles = ["viewer", "analyst", "admin"];

    public static Command Create(GlobalOptions global, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(console);
        var command = new Command("keys", "Manage API keys (admin key needed): list, show, create, revoke (/admin/keys).")
        {
            List(global, console),
            Show(global, console),
            New(global, console),
            Revoke(global, console),
        };
        return command;
    }

    private static Command List(GlobalOptions global, CliConsole console)
    {
        var format = OutputFormats.Option();
        var command = new Command("list", "List every key: id, name, role, when created and revoked (never a secret).") { format };
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            using var client = global.Client(parse);
            var keys = await client.GetAsync("/admin/keys", cancellationToken);
            var outputFormat = OutputFormats.Parse(parse.GetValue(format));
            var rows = RowSet.OfObjects(keys, Columns);
            await Print.RowsAsync(console, outputFormat, rows, keys);
            Print.Note(console, outputFormat, $"{rows.Count} keys");
            return ExitCodes.Ok;
        });
    }

    private static Command Show(GlobalOptions global, CliConsole console) =>
        OneKey("show", "Show one key.", global, console, (client, path, cancellationToken) => client.GetAsync(path, cancellationToken));

    private static Command New(GlobalOptions global, CliConsole console)
    {
        var name = new Option<string>("--name") { Description = "whose key it is (1 to 100 characters), e.g. \"wall screen\"", Required = true };
        var role = new Option<string>("--role") { Description = "viewer (KPIs), analyst (tables, queries, users; PII masked) or admin (everything)", Required = true, HelpName = string.Join('|', Roles) };
        role.AcceptOnlyFromAmong(Roles);
        var format = OutputFormats.Option(rows: false);
        var command = new Command("create", "Create a key. Its token is printed once (alone on standard output; with --format json in the answer's \"key\") and never again.")
        {
            name,
            role,
            format,
        };
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            using var client = global.Client(parse);
            var created = await client.PostAsync("/admin/keys", new JsonObject { ["name"] = parse.GetValue(name), ["role"] = parse.GetValue(role) }, cancellationToken);
            if (OutputFormats.Parse(parse.GetValue(format)) == OutputFormat.Json)
            {
                await JsonText.WriteIndentedAsync(console.Text, created);
                return ExitCodes.Ok;
            }
            await console.Text.WriteLineAsync(JsonText.Cell(created, "key"));
            await console.Text.FlushAsync(cancellationToken);
            await console.Error.WriteLineAsync(
                $"Created key {JsonText.Cell(created, "id")} ({JsonText.Cell(created, "role")}) for {JsonText.Cell(created, "name")}. The token above is shown this once; keep it like a password.");
            return ExitCodes.Ok;
        });
    }

    private static Command Revoke(GlobalOptions global, CliConsole console) =>
        OneKey("revoke", "Revoke a key: it stops working at once on this silo, within seconds on the others. Revoking twice is harmless.",
            global, console, (client, path, cancellationToken) => client.DeleteAsync(path, cancellationToken));

    /// <summary>A command that sends one request about the key <c>&lt;id&gt;</c> and prints the key it answers.</summary>
    private static Command OneKey(
        string name, string description, GlobalOptions global, CliConsole console, Func<PlatformClient, string, CancellationToken, Task<JsonElement>> send)
    {
        var id = new Argument<string>("id") { Description = "the key's id (dp keys list shows them)" };
        var format = OutputFormats.Option(rows: false);
        var command = new Command(name, description) { id, format };
        return command.WithAction(console, async (parse, cancellationToken) =>
        {
            using var client = global.Client(parse);
            var key = await send(client, PlatformClient.Path("admin", "keys", parse.GetValue(id)!), cancellationToken);
            if (OutputFormats.Parse(parse.GetValue(format)) == OutputFormat.Json)
            {
                await JsonText.WriteIndentedAsync(console.Text, key);
            }
            else
            {
                console.Out.Write(RowSet.OfFields(key).ToTable(JsonText.Cell(key, "id")));
            }
            return ExitCodes.Ok;
        });
    }
}
