using DataPlatform.Lake.Files;

namespace DataPlatform.Lake.Log;

/// <summary>
/// The state of a table at one version, reconciled from its log: the live data files, the files removed
/// but not yet deleted (tombstones), the streaming positions (txn), the metadata and the last commit.
/// Readers query exactly <see cref="Files"/>, never a directory listing.
/// </summary>
public sealed class TableSnapshot
{
    private readonly Dictionary<string, AddFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RemoveFile> _tombstones = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TxnAction> _txns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _rows = new(StringComparer.Ordinal);

    /// <summary>-1 before the first commit.</summary>
    public long Version { get; private set; } = -1;
    public ProtocolAction? Protocol { get; private set; }
    public MetadataAction? Metadata { get; private set; }
    public CommitInfo? LastCommit { get; private set; }
    public IReadOnlyDictionary<string, AddFile> Files => _files;
    public IReadOnlyDictionary<string, RemoveFile> Tombstones => _tombstones;
    public IReadOnlyDictionary<string, TxnAction> Txns => _txns;
    public long RowCount { get; private set; }
    public long SizeBytes { get; private set; }

    /// <summary>The committed position of one source, or -1 when it has none.</summary>
    public long TxnVersion(string appId) => _txns.TryGetValue(appId, out var txn) ? txn.Version : -1;

    /// <summary>The row count of a live file.</summary>
    public long RowsOf(string path) => _rows.TryGetValue(path, out var rows) ? rows : 0;

    /// <summary>Applies the actions of the next commit (or of a checkpoint) in order.</summary>
    public void Apply(long version, IEnumerable<DeltaAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        foreach (var action in actions)
        {
            if (action.Protocol is { } protocol)
            {
                Protocol = protocol;
            }
            else if (action.MetaData is { } metadata)
            {
                Metadata = metadata;
            }
            else if (action.Txn is { } txn)
            {
                _txns[txn.AppId] = txn;
            }
            else if (action.Add is { } add)
            {
                Forget(add.Path);
                _files[add.Path] = add;
                _tombstones.Remove(add.Path);
                var rows = FileStatistics.RowsOf(add.Stats);
                _rows[add.Path] = rows;
                RowCount += rows;
                SizeBytes += add.Size;
            }
            else if (action.Remove is { } remove)
            {
                Forget(remove.Path);
                _tombstones[remove.Path] = remove;
            }
            else if (action.CommitInfo is { } commitInfo)
            {
                LastCommit = commitInfo;
            }
        }
        Version = version;
    }

    /// <summary>Drops tombstones whose files were deleted (vacuumed).</summary>
    public void ForgetTombstones(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            _tombstones.Remove(path);
        }
    }

    /// <summary>The actions that rebuild this snapshot (what a checkpoint holds).</summary>
    public IEnumerable<DeltaAction> ToActions()
    {
        if (Protocol is not null)
        {
            yield return DeltaAction.Of(Protocol);
        }
        if (Metadata is not null)
        {
            yield return DeltaAction.Of(Metadata);
        }
        foreach (var txn in _txns.Values)
        {
            yield return DeltaAction.Of(txn);
        }
        foreach (var add in _files.Values)
        {
            yield return DeltaAction.Of(add);
        }
        foreach (var remove in _tombstones.Values)
        {
            yield return DeltaAction.Of(remove);
        }
    }

    private void Forget(string path)
    {
        if (_files.Remove(path, out var previous))
        {
            RowCount -= _rows[path];
            SizeBytes -= previous.Size;
            _rows.Remove(path);
        }
    }
}
