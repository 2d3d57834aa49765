using System.Text;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Lake.Tables;

/// <summary>Rows of one committed file that mention a user.</summary>
public sealed record UserMention(string Table, string File, int Rows);

/// <summary>
/// Finds the rows of the current snapshot of tables that mention a user: a cell (text, or bytes read as UTF-8)
/// that equals the user id or holds it in double quotes, as a JSON value does. Broader than what an erasure
/// matches (<see cref="Catalog.UserRows"/>), so it checks an erasure from the outside: <c>dp-lake find-user</c>.
/// </summary>
public static class UserMentionScan
{
    public static async Task<IReadOnlyList<UserMention>> FindAsync(string lakeRoot, string userId, IEnumerable<TableDefinition> tables, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(lakeRoot);
        ArgumentException.ThrowIfNullOrEmpty(userId);
        ArgumentNullException.ThrowIfNull(tables);
        var quoted = $"\"{userId}\"";
        var mentions = new List<UserMention>();
        foreach (var table in tables)
        {
            var root = LakeTable.TablePath(lakeRoot, table.Name);
            foreach (var file in new DeltaLog(root).ReadSnapshot().Files.Values)
            {
                var rows = await ParquetDataFile.ReadAsync(root, table, file, cancellationToken);
                var mentioning = rows.Count(row => row.Any(cell => TextOf(cell) is { } text && (text == userId || text.Contains(quoted, StringComparison.Ordinal))));
                if (mentioning > 0)
                {
                    mentions.Add(new UserMention(table.Name, file.Path, mentioning));
                }
            }
        }
        return mentions;
    }

    private static string? TextOf(object? cell) => cell switch
    {
        string text => text,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        _ => null,
    };
}
