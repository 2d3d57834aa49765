namespace DataPlatform.Lake.Sql;

/// <summary>
/// Hides this machine's absolute paths in what a query answers. DuckDB shows them in settings
/// (<c>current_setting('allowed_directories')</c>, <c>duckdb_settings()</c>), in view definitions
/// (<c>duckdb_views()</c>) and in error messages; the lake's root becomes <c>lake</c>, the query's spill
/// directory <c>tmp</c> and the user's home <c>~</c>.
/// </summary>
internal sealed class MachinePaths
{
    private readonly (string Path, string Mask)[] _masks;

    public MachinePaths(string lakeRoot, string spillRoot)
    {
        var masks = new List<(string, string)>();
        Add(masks, lakeRoot, "lake");
        Add(masks, spillRoot, "tmp");
        Add(masks, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "~");
        // Longest first, so a path inside another is masked as itself.
        _masks = [.. masks.OrderByDescending(mask => mask.Item1.Length)];
    }

    public string Mask(string text)
    {
        foreach (var (path, mask) in _masks)
        {
            text = text.Replace(path, mask, StringComparison.Ordinal);
        }
        return text;
    }

    private static void Add(List<(string, string)> masks, string path, string mask)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        var trimmed = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (trimmed.Length > 1)
        {
            masks.Add((trimmed + Path.DirectorySeparatorChar, mask + "/"));
            masks.Add((trimmed, mask));
        }
    }
}
