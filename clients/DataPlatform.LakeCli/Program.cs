using System.Text.Json;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Sql;
using DataPlatform.Lake.Tables;

// dp-lake: reads the lake straight from disk, in its own process, like any other reader would.
//   dp-lake tables [--root data/lake]
//   dp-lake query "SELECT ..." [--root data/lake] [--limit 1000]
//   dp-lake files <layer.table> [--version N] [--root data/lake]   the committed files of a version, one path a line
//   dp-lake verify [--root data/lake]            exit code 1 when a problem is found
//   dp-lake find-user <user_id> [--root data/lake]   rows of the current snapshot that mention the user; exit code 1 when
//                                                 a table an erasure covers has one (after DELETE /users/{id}: none)
var arguments = args.ToList();
var root = Take(arguments, "--root") ?? Path.Combine("data", "lake");
var limit = Take(arguments, "--limit") is { } text ? int.Parse(text, System.Globalization.CultureInfo.InvariantCulture) : (int?)null;
var version = Take(arguments, "--version") is { } number ? long.Parse(number, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
var json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

switch (arguments.FirstOrDefault())
{
    case "tables":
        foreach (var table in PlatformTables.All)
        {
            var snapshot = new DeltaLog(LakeTable.TablePath(root, table.Name)).ReadSnapshot();
            Console.WriteLine($"{table.Name,-34} version {snapshot.Version,6}  rows {snapshot.RowCount,10}  files {snapshot.Files.Count,5}  bytes {snapshot.SizeBytes,12}");
        }
        return 0;
    case "query" when arguments.Count == 2:
        try
        {
            using var engine = new LakeQueryEngine(new LakeOptions { Root = root, MaxQueryRows = 1_000_000 }, PlatformTables.All);
            var result = await engine.ExecuteAsync(arguments[1], limit, CancellationToken.None);
            Console.WriteLine(JsonSerializer.Serialize(new { result.Columns, result.Rows, result.RowCount, result.Truncated, result.ElapsedMs }, json));
            return 0;
        }
        catch (LakeQueryException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    case "files" when arguments.Count == 2 && PlatformTables.Find(arguments[1]) is { } named:
        try
        {
            var tableRoot = Path.GetFullPath(LakeTable.TablePath(root, named.Name));
            foreach (var path in new DeltaLog(tableRoot).ReadSnapshot(version).Files.Keys.Order(StringComparer.Ordinal))
            {
                Console.WriteLine(Path.Combine(tableRoot, path));
            }
            return 0;
        }
        catch (TableVersionNotFoundException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    case "verify":
        var verified = await LakeVerifier.VerifyAsync(root, PlatformTables.All, CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(verified, json));
        return verified.Any(table => table.Problems.Count > 0) ? 1 : 0;
    case "find-user" when arguments.Count == 2:
        var mentions = await UserMentionScan.FindAsync(root, arguments[1], PlatformTables.All, CancellationToken.None);
        Console.WriteLine(JsonSerializer.Serialize(mentions, json));
        return mentions.Any(mention => UserRows.Erased.Any(table => table.Name == mention.Table)) ? 1 : 0;
    default:
        await Console.Error.WriteLineAsync(
            "usage: dp-lake tables|verify [--root DIR] | dp-lake query \"SQL\" [--root DIR] [--limit N] | dp-lake files layer.table [--version N] [--root DIR]"
            + " | dp-lake find-user USER_ID [--root DIR]");
        return 64;
}

static string? Take(List<string> arguments, string option)
{
    var index = arguments.IndexOf(option);
    if (index < 0 || index + 1 >= arguments.Count)
    {
        return null;
    }
    var value = arguments[index + 1];
    arguments.RemoveRange(index, 2);
    return value;
}
