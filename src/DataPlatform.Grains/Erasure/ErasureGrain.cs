using System.Text.Json;
using DataPlatform.Contracts.Grains;
using DataPlatform.Contracts.Messages;
using DataPlatform.Grains.Checkpoints;
using DataPlatform.Lake;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Files;
using DataPlatform.Lake.Quality;
using DataPlatform.Lake.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataPlatform.Grains.Erasure;

/// <summary>
/// Erases one user (docs/security.md, "Erasure"):
/// <list type="number">
/// <item>records the request in the erasure register, in the lake, before anything else: from then on every silo
/// drops the user's records, and a silo resumes the erasure if this one dies;</item>
/// <item>erases the live state (user, sessions, orders, customer row, the KPIs' last-seen times) and waits for a
/// checkpoint that holds the erasure; a roll-back in between undoes it, so it is done again;</item>
/// <item>rewrites every lake table without the user's rows;</item>
/// <item>repeats both until a round finds nothing (rows produced before the register took effect reach the
/// lake with the next checkpoint), then records the completion and removes the user id from the register.</item>
/// </list>
/// Every step can run again without harm, so a resumed or repeated erasure ends in the same place.
/// </summary>
public sealed partial class ErasureGrain(ErasureRegister register, IOptions<LakeOptions> options, TimeProvider clock, ILogger<ErasureGrain> logger)
    : Grain, IErasureGrain
{
    private const int MaxRounds = 6;
    private static readonly TimeSpan CheckpointTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan CheckpointRetry = TimeSpan.FromMilliseconds(250);
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private ICheckpointCoordinatorGrain Coordinator => GrainFactory.GetGrain<ICheckpointCoordinatorGrain>(0);

    public async Task<ErasureReport> EraseAsync(string? requestedBy)
    {
        var userId = this.GetPrimaryKeyString();
        var erasureId = ErasureRegister.ErasureIdOf(userId);
        await register.RefreshAsync();
        if (register.CompletedReportOf(userId) is { } done)
        {
            // A silo that died between recording the completion and removing the request leaves the request's user id behind.
            await GrainFactory.GetGrain<ITableGrain>(PlatformTables.Erasures).EraseUserAsync(userId);
            return JsonSerializer.Deserialize<ErasureReport>(done, ReportJson)! with { UserId = userId, AlreadyErased = true };
        }
        var requestedAt = clock.GetUtcNow();
        if (!register.IsErased(userId))
        {
            await RecordAsync(new ErasureRecord(erasureId, userId, ErasureStatus.Requested, requestedAt, requestedBy, null, null));
            await register.RefreshAsync();
        }
        LogErasing(logger, erasureId);
        // Every silo reads the register within a refresh interval; from then on none applies or stores the user's records.
        // This silo read it just now: alone, it need not wait.
        if ((await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true)).Count > 1)
        {
            await Task.Delay(2 * ErasureRegister.RefreshInterval + TimeSpan.FromMilliseconds(500));
        }

        var live = new LiveStateErased();
        var lakeRows = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var round = 1; ; round++)
        {
            var heldState = await EraseLiveStateAsync(userId, live);
            var rowsRemoved = await EraseLakeRowsAsync(userId, lakeRows);
            if (round > 1 && !heldState && rowsRemoved == 0)
            {
                break;
            }
            if (round == MaxRounds)
            {
                throw new InvalidOperationException($"Erasure {erasureId} still found the user after {MaxRounds} rounds; it is resumed later.");
            }
        }

        var report = new ErasureReport
        {
            UserId = userId,
            ErasureId = erasureId,
            RequestedAt = requestedAt,
            CompletedAt = clock.GetUtcNow(),
            Profile = live.Profile,
            Sessions = live.Sessions.Count,
            Orders = live.Orders.Count,
            Segment = live.Segment,
            LakeRows = lakeRows,
        };
        var stored = JsonSerializer.Serialize(report with { UserId = "" }, ReportJson);
        await RecordAsync(new ErasureRecord(erasureId, null, ErasureStatus.Completed, report.CompletedAt, requestedBy, report.RowsRemoved, stored));
        await GrainFactory.GetGrain<ITableGrain>(PlatformTables.Erasures).EraseUserAsync(userId);
        await register.RefreshAsync();
        LogErased(logger, erasureId, report.RowsRemoved, report.Sessions);
        return report;
    }

    /// <summary>Erases the user's live state and waits until a checkpoint holds that; true when anything held the user.</summary>
    private async Task<bool> EraseLiveStateAsync(string userId, LiveStateErased live)
    {
        while (true)
        {
            var before = await Coordinator.GetStatusAsync();
            var user = await GrainFactory.GetGrain<IUserGrain>(userId).EraseAsync();
            live.Add(user);
            var held = user.HeldState;
            foreach (var session in live.Sessions)
            {
                held |= await GrainFactory.GetGrain<ISessionGrain>(session).EraseAsync();
            }
            foreach (var order in live.Orders)
            {
                held |= await GrainFactory.GetGrain<ICdcRowGrain>($"orders:{order}").EraseAsync();
            }
            held |= await GrainFactory.GetGrain<ICdcRowGrain>($"customers:{userId}").EraseAsync();
            held |= await GrainFactory.GetGrain<IKpiGrain>(IKpiGrain.GlobalScope).ForgetUserAsync(userId, [.. live.Sessions]);
            if (await CheckpointAfterAsync(before))
            {
                return held;
            }
            // A roll-back put back the state of a checkpoint taken before the erasure: erase it again.
        }
    }

    /// <summary>
    /// Waits for a checkpoint that began after this erasure's writes (two epochs past the one open then); false
    /// when a roll-back came first.
    /// </summary>
    private async Task<bool> CheckpointAfterAsync(CheckpointStatus before)
    {
        var written = await Coordinator.GetStatusAsync();
        var target = written.CompletedEpoch + 2;
        var deadline = clock.GetUtcNow() + CheckpointTimeout;
        while (true)
        {
            var status = await Coordinator.CheckpointNowAsync();
            if (status.Generation != before.Generation)
            {
                return false;
            }
            if (status.CompletedEpoch >= target)
            {
                return true;
            }
            if (clock.GetUtcNow() > deadline)
            {
                throw new TimeoutException($"No checkpoint completed within {CheckpointTimeout.TotalMinutes} minutes; the erasure is resumed later.");
            }
            await Task.Delay(CheckpointRetry);
        }
    }

    /// <summary>Rewrites every table that holds rows about users without this one's; answers the rows removed in this pass.</summary>
    private async Task<long> EraseLakeRowsAsync(string userId, Dictionary<string, long> lakeRows)
    {
        var outcomes = await Task.WhenAll(UserRows.Erased.Select(async table =>
            (table.Name, Outcome: await GrainFactory.GetGrain<ITableGrain>(table.Name).EraseUserAsync(userId))));
        foreach (var (table, outcome) in outcomes.Where(entry => entry.Outcome.RowsRemoved > 0))
        {
            lakeRows[table] = lakeRows.GetValueOrDefault(table) + outcome.RowsRemoved;
        }
        return outcomes.Sum(entry => entry.Outcome.RowsRemoved);
    }

    /// <summary>Appends one row to the erasure register, committed at once (not with a checkpoint: a roll-back must not undo it).</summary>
    private async Task RecordAsync(ErasureRecord record)
    {
        var table = PlatformTables.Get(PlatformTables.Erasures);
        var root = LakeTable.TablePath(Path.GetFullPath(options.Value.Root), table.Name);
        var rows = RowConformer.Conform(table, [record.ToRow()]).Rows;
        var file = await ParquetDataFile.WriteAsync(root, table, null, rows, clock, CancellationToken.None);
        await GrainFactory.GetGrain<ITableGrain>(table.Name).AppendAsync([file], [], QualityProfiler.Profile(table, rows, 0), nameof(ErasureGrain));
    }

    /// <summary>What the rounds of one erasure found in live state, together.</summary>
    private sealed class LiveStateErased
    {
        public bool Profile { get; private set; }
        public string? Segment { get; private set; }
        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Orders { get; } = new(StringComparer.Ordinal);

        public void Add(UserErasure user)
        {
            Profile |= user.HeldState;
            Segment ??= user.Segment;
            Sessions.UnionWith(user.SessionIds);
            Orders.UnionWith(user.OrderIds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Erasing user {ErasureId}")]
    private static partial void LogErasing(ILogger logger, string erasureId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Erased user {ErasureId}: {Rows} lake row(s), {Sessions} session(s)")]
    private static partial void LogErased(ILogger logger, string erasureId, long rows, int sessions);
}
