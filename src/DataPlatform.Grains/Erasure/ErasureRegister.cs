using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Grains;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Log;
using DataPlatform.Lake.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Erasure;

/// <summary>
/// This silo's copy of the erasure register (<see cref="PlatformTables.Erasures"/>): which users were erased,
/// by the SHA-256 of their id. The router, the bronze recorder and the dead-letter path ask it for every
/// record once any user was erased, and drop the records of an erased user. It reads the table again
/// whenever its log moved (checked every <see cref="RefreshInterval"/>), and resumes erasures that a silo
/// failure left unfinished.
/// </summary>
public sealed partial class ErasureRegister(IOptions<LakeOptions> options, IGrainFactory grains, TimeProvider clock, ILogger<ErasureRegister> logger)
    : BackgroundService
{
    /// <summary>How often every silo looks for new erasures; an erasure waits two of these before it erases state.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(1);

    /// <summary>An erasure still requested this long after it was asked for is resumed (its silo may have died).</summary>
    public static readonly TimeSpan ResumeAfter = TimeSpan.FromSeconds(30);

    private readonly Lock _loading = new();
    // Resumes this silo asked for and that are still running: an erasure can take longer than ResumeAfter.
    private readonly Dictionary<string, Task> _resuming = new(StringComparer.Ordinal);
    private volatile RegisterContent? _content;

    private RegisterContent Content => _content ?? Load();

    /// <summary>How the register names a user: the SHA-256 of the id's UTF-8 bytes, in hex.</summary>
    public static string ErasureIdOf(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));
    }

    /// <summary>True once an erasure of the user was asked for (until then, and for every other user, false).</summary>
    public bool IsErased(string userId)
    {
        ArgumentNullException.ThrowIfNull(userId);
        var erased = Content.Erased;
        return erased.Count > 0 && erased.Contains(ShortHash(userId));
    }

    /// <summary>
    /// True when a decoded record is about an erased user: an event or profile of the user, or a change of a row
    /// that names the user (their customer row, their orders).
    /// </summary>
    public bool IsAboutErasedUser(object record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (Content.Erased.Count == 0)
        {
            return false;
        }
        return record switch
        {
            CdcChange change => Names(change.Before) || Names(change.After),
            ExternalEvent => false,
            _ => IsErased(RecordKeys.KeyOf(record)),
        };
    }

    private bool Names(IReadOnlyDictionary<string, string?>? row) => row is not null && row.Values.Any(value => value is not null && IsErased(value));

    /// <summary>True when a Kafka key (UTF-8) is an erased user's id.</summary>
    public bool IsErasedKey(ReadOnlySpan<byte> key)
    {
        var erased = Content.Erased;
        return erased.Count > 0 && key.Length > 0 && erased.Contains(ShortHash(key));
    }

    /// <summary>True when a JSON record holds an erased user's id as one of its string values (a change of an erased customer's row).</summary>
    public bool MentionsErasedUser(ReadOnlySpan<byte> json)
    {
        var erased = Content.Erased;
        if (erased.Count == 0)
        {
            return false;
        }
        // Not JSON: the record is dead-lettered, and its key is what names its user there.
        return JsonMentions.AnyStringValue(json, value => erased.Contains(ShortHash(value))) == true;
    }

    /// <summary>The report (JSON) of a user's completed erasure, or null.</summary>
    public string? CompletedReportOf(string userId) => Content.Completed.GetValueOrDefault(ErasureIdOf(userId));

    /// <summary>
    /// Reads the register again if its log moved (an erasure calls it right after writing to it). The reading runs on
    /// the thread pool, so a grain that awaits it does not hold its own scheduler.
    /// </summary>
    public async Task RefreshAsync()
    {
        var read = await Task.Run(() => _content is { } content && content.Version == LogOf(options.Value).LatestVersion()
            ? Task.FromResult(content)
            : ReadAsync(options.Value));
        _content = read;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RefreshAsync();
                ResumeUnfinished(clock.GetUtcNow());
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A register that cannot be read now is read again in a second; the last good copy stays in force.
                LogRefreshFailed(logger, ex);
            }
        }
    }

    /// <summary>Asks the erasure grain of each erasure requested long ago and not completed to finish it (it does nothing twice).</summary>
    private void ResumeUnfinished(DateTimeOffset now)
    {
        foreach (var finished in _resuming.Where(resume => resume.Value.IsCompleted).Select(resume => resume.Key).ToList())
        {
            _resuming.Remove(finished);
        }
        foreach (var (userId, requestedAt) in Content.Unfinished)
        {
            if (now - requestedAt < ResumeAfter || _resuming.ContainsKey(userId))
            {
                continue;
            }
            LogResuming(logger, ErasureIdOf(userId));
            _resuming[userId] = grains.GetGrain<IErasureGrain>(userId).EraseAsync(null).ContinueWith(
                task => LogResumeFailed(logger, task.Exception!, ErasureIdOf(userId)),
                CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        Load();
        return base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// Reads the register. Callers may be grains, whose scheduler runs one thing at a time: the read runs on the
    /// thread pool, or its continuations would wait for the very thread that waits for them.
    /// </summary>
    private RegisterContent Load()
    {
        lock (_loading)
        {
            var content = Task.Run(() => ReadAsync(options.Value)).GetAwaiter().GetResult();
            _content = content;
            return content;
        }
    }

    private static async Task<RegisterContent> ReadAsync(LakeOptions options)
    {
        var table = PlatformTables.Get(PlatformTables.Erasures);
        var log = LogOf(options);
        var snapshot = log.ReadSnapshot();
        var rows = new List<object?[]>();
        foreach (var file in snapshot.Files.Values)
        {
            rows.AddRange(await ParquetDataFile.ReadAsync(log.TableRoot, table, file, CancellationToken.None));
        }
        return RegisterContent.Of(snapshot.Version, rows.Select(ErasureRecord.FromRow));
    }

    private static DeltaLog LogOf(LakeOptions options) => new(LakeTable.TablePath(Path.GetFullPath(options.Root), PlatformTables.Erasures));

    /// <summary>The first 16 bytes of the SHA-256 of a user id: what the in-memory set holds, so a check allocates nothing.</summary>
    private static UInt128 ShortHash(string userId)
    {
        Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(userId.Length, 1024))];
        return userId.Length <= 1024 ? ShortHash(utf8[..Encoding.UTF8.GetBytes(userId, utf8)]) : ShortHash(Encoding.UTF8.GetBytes(userId));
    }

    private static UInt128 ShortHash(ReadOnlySpan<byte> utf8)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(utf8, hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(hash);
    }

    internal static UInt128 ShortHashOfErasureId(string erasureId) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(Convert.FromHexString(erasureId.AsSpan(0, 32)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "The erasure register could not be read; it is read again in a second")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming unfinished erasure {ErasureId}")]
    private static partial void LogResuming(ILogger logger, string erasureId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming erasure {ErasureId} failed; it is tried again")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception, string erasureId);
}

/// <summary>What one read of the register holds: the erased users, the reports of completed erasures and the unfinished ones.</summary>
internal sealed record RegisterContent(long Version, HashSet<UInt128> Erased, Dictionary<string, string> Completed, IReadOnlyList<(string UserId, DateTimeOffset RequestedAt)> Unfinished)
{
    public static RegisterContent Of(long version, IEnumerable<ErasureRecord> records)
    {
        var requested = new Dictionary<string, (string? UserId, DateTimeOffset At)>(StringComparer.Ordinal);
        var completed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (record.Status == ErasureStatus.Completed)
            {
                completed[record.ErasureId] = record.Removed ?? "{}";
            }
            else
            {
                requested[record.ErasureId] = (record.UserId, record.At);
            }
        }
        var erased = requested.Keys.Concat(completed.Keys).Select(ErasureRegister.ShortHashOfErasureId).ToHashSet();
        var unfinished = requested
            .Where(request => !completed.ContainsKey(request.Key) && request.Value.UserId is not null)
            .Select(request => (request.Value.UserId!, request.Value.At))
            .ToList();
        return new RegisterContent(version, erased, completed, unfinished);
    }
}

/// <summary>The status column of <see cref="PlatformTables.Erasures"/>.</summary>
public static class ErasureStatus
{
    public const string Requested = "requested";
    public const string Completed = "completed";
}
