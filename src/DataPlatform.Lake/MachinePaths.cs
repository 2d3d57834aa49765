namespace DataPlatform.Lake;

/// <summary>
/// Hides this machine's absolute paths in what the platform answers: query results and errors (DuckDB
/// shows paths in settings, view definitions and error messages) and health details. The lake's root
/// becomes <c>lake</c>, a query's spill directory <c>tmp</c> and the user's home <c>~</c>.
/// </summary>
public sealed class MachinePaths
{
    private readonly (string Path, string Mask)[] _masks;

    /// <summary>Masks for the lake at <paramref name="lakeRoot"/> and, when given, the queries' spill root.</summary>
    public MachinePaths(string lakeRoot, string? spillRoot = null)
    {
        var masks = new List<(string, string)>();
        Add(masks, lakeRoot, "lake");
        Add(masks, spillRoot, "tmp");
        Add(masks, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "~");
        // Longest first, so a path inside another is masked as itself.
        _masks = [.. masks.OrderByDescending(mask => mask.Item1.Length)];
    }

    /// <summary>The text with every known absolute path replaced by its mask.</summary>
    public string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var (path, mask) in _masks)
        {
            text = text.Replace(path, mask, StringComparison.Ordinal);
        }
        return text;
    }

    private static void Add(List<(string, string)> masks, string? path, string mask)
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
