using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DataPlatform.Lake.Log;

/// <summary>
/// A table's transaction log in <c>_delta_log</c>: one JSON file per version, named by its 20-digit
/// version, holding one Delta action per line. A version is created atomically and only if absent
/// (written to a hidden temporary file, flushed, then hard-linked to its name, which fails when it
/// exists), so two writers can never both win a version. Every <see cref="CheckpointInterval"/>
/// versions a checkpoint of the reconciled snapshot is written under <c>_delta_log/_checkpoints</c>,
/// so a reader replays at most that many commits; Delta readers ignore that folder and replay the JSON.
/// </summary>
public sealed class DeltaLog
{
    /// <summary>Default number of commits between checkpoints.</summary>
    public const int DefaultCheckpointInterval = 10;

    private const string CommitExtension = ".json";
    private const int VersionDigits = 20;

    public DeltaLog(string tableRoot, int checkpointInterval = DefaultCheckpointInterval)
    {
        ArgumentException.ThrowIfNullOrEmpty(tableRoot);
        ArgumentOutOfRangeException.ThrowIfLessThan(checkpointInterval, 1);
        TableRoot = tableRoot;
        LogDirectory = Path.Combine(tableRoot, "_delta_log");
        CheckpointDirectory = Path.Combine(LogDirectory, "_checkpoints");
        CheckpointInterval = checkpointInterval;
    }

    public string TableRoot { get; }
    public string LogDirectory { get; }
    public string CheckpointDirectory { get; }
    public int CheckpointInterval { get; }

    /// <summary>The file name of a version, e.g. <c>00000000000000000007.json</c>.</summary>
    public static string CommitFileName(long version) => version.ToString("D20", CultureInfo.InvariantCulture) + CommitExtension;

    /// <summary>The committed versions, ascending.</summary>
    public IReadOnlyList<long> Versions()
    {
        if (!Directory.Exists(LogDirectory))
        {
            return [];
        }
        return Directory.EnumerateFiles(LogDirectory, "*" + CommitExtension)
            .Select(path => VersionOf(Path.GetFileName(path)))
            .Where(version => version >= 0)
            .Order()
            .ToList();
    }

    /// <summary>
    /// The newest version, or -1 for a table without commits. Starts at the newest checkpoint and looks
    /// for the few commits after it, so it does not list a log of thousands of versions.
    /// </summary>
    public long LatestVersion()
    {
        if (LastCheckpoint() is not { } checkpoint)
        {
            return Versions() is { Count: > 0 } versions ? versions[^1] : -1;
        }
        var latest = checkpoint;
        while (File.Exists(Path.Combine(LogDirectory, CommitFileName(latest + 1))))
        {
            latest++;
        }
        return latest;
    }

    /// <summary>
    /// Writes <paramref name="version"/> if no one has: true when this call created it, false when the
    /// version already exists (another writer won it; reload and retry on top of it).
    /// </summary>
    public bool TryCommit(long version, IEnumerable<DeltaAction> actions)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentNullException.ThrowIfNull(actions);
        Directory.CreateDirectory(LogDirectory);
        var target = Path.Combine(LogDirectory, CommitFileName(version));
        if (File.Exists(target))
        {
            return false;
        }
        var temporary = WriteTemporary(LogDirectory, Serialize(actions));
        return ExclusiveFile.TryPublish(temporary, target);
    }

    /// <summary>The actions of one committed version.</summary>
    public IReadOnlyList<DeltaAction> ReadCommit(long version) =>
        Parse(File.ReadAllText(Path.Combine(LogDirectory, CommitFileName(version))));

    /// <summary>
    /// The snapshot at <paramref name="version"/> (the newest when null), from the nearest checkpoint at
    /// or below it plus the commits after it.
    /// </summary>
    public TableSnapshot ReadSnapshot(long? version = null)
    {
        var latest = LatestVersion();
        if (latest < 0)
        {
            if (version is null)
            {
                return new TableSnapshot();
            }
            throw new TableVersionNotFoundException(TableRoot, version.Value, -1);
        }
        var target = version ?? latest;
        if (target < 0 || target > latest)
        {
            throw new TableVersionNotFoundException(TableRoot, target, latest);
        }
        var snapshot = new TableSnapshot();
        var start = 0L;
        if (LatestCheckpoint(target) is { } checkpoint)
        {
            snapshot.Apply(checkpoint, Parse(File.ReadAllText(CheckpointPath(checkpoint))));
            start = checkpoint + 1;
        }
        for (var v = start; v <= target; v++)
        {
            snapshot.Apply(v, ReadCommit(v));
        }
        return snapshot;
    }

    /// <summary>Writes a checkpoint of the snapshot when its version is due one; returns whether it did.</summary>
    public bool CheckpointIfDue(TableSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Version <= 0 || snapshot.Version % CheckpointInterval != 0)
        {
            return false;
        }
        Directory.CreateDirectory(CheckpointDirectory);
        var temporary = WriteTemporary(CheckpointDirectory, Serialize(snapshot.ToActions()));
        File.Move(temporary, CheckpointPath(snapshot.Version), overwrite: true);
        if (snapshot.Version > (LastCheckpoint() ?? -1))
        {
            var pointer = WriteTemporary(CheckpointDirectory, snapshot.Version.ToString(CultureInfo.InvariantCulture));
            File.Move(pointer, LastCheckpointPath, overwrite: true);
        }
        return true;
    }

    /// <summary>Deletes temporary files left by writers that crashed before renaming them.</summary>
    public int SweepTemporaryFiles(TimeSpan olderThan, DateTimeOffset now)
    {
        var swept = 0;
        foreach (var directory in new[] { LogDirectory, CheckpointDirectory }.Where(Directory.Exists))
        {
            foreach (var path in Directory.EnumerateFiles(directory, ".*.inprogress"))
            {
                if (now - File.GetLastWriteTimeUtc(path) > olderThan)
                {
                    File.Delete(path);
                    swept++;
                }
            }
        }
        return swept;
    }

    internal static string Serialize(IEnumerable<DeltaAction> actions)
    {
        var text = new StringBuilder();
        foreach (var action in actions)
        {
            text.Append(JsonSerializer.Serialize(action, DeltaJsonContext.Default.DeltaAction)).Append('\n');
        }
        return text.ToString();
    }

    internal static List<DeltaAction> Parse(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonSerializer.Deserialize(line, DeltaJsonContext.Default.DeltaAction)
                ?? throw new InvalidDataException("A Delta log line is null."))
            .ToList();

    /// <summary>The newest checkpoint's version, from the pointer written with it.</summary>
    private long? LastCheckpoint()
    {
        try
        {
            return long.TryParse(File.ReadAllText(LastCheckpointPath), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private string LastCheckpointPath => Path.Combine(CheckpointDirectory, "_last");

    private long? LatestCheckpoint(long atOrBelow)
    {
        // Checkpoints sit at multiples of the interval: try the nearest one before listing the folder.
        var nearest = atOrBelow - atOrBelow % CheckpointInterval;
        if (nearest > 0 && File.Exists(CheckpointPath(nearest)))
        {
            return nearest;
        }
        if (!Directory.Exists(CheckpointDirectory))
        {
            return null;
        }
        var found = Directory.EnumerateFiles(CheckpointDirectory, "*" + CommitExtension)
            .Select(path => VersionOf(Path.GetFileName(path)))
            .Where(version => version >= 0 && version <= atOrBelow)
            .DefaultIfEmpty(-1)
            .Max();
        return found >= 0 ? found : null;
    }

    private string CheckpointPath(long version) => Path.Combine(CheckpointDirectory, CommitFileName(version));

    private static string WriteTemporary(string directory, string content)
    {
        var temporary = Path.Combine(directory, $".{Guid.NewGuid():N}.inprogress");
        using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
        {
            stream.Write(Encoding.UTF8.GetBytes(content));
            stream.Flush(flushToDisk: true);
        }
        return temporary;
    }

    private static long VersionOf(string fileName) =>
        fileName.Length == VersionDigits + CommitExtension.Length
        && fileName.EndsWith(CommitExtension, StringComparison.Ordinal)
        && long.TryParse(fileName.AsSpan(0, VersionDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
}
