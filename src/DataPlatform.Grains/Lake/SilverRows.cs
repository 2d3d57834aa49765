using System.Globalization;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;
using DataPlatform.Contracts.Serialization;
using DataPlatform.Lake.Catalog;
using DataPlatform.Lake.Schema;

namespace DataPlatform.Grains.Lake;

/// <summary>
/// Rows of the silver tables: typed, validated records and the grains' closed sessions and applied changes. Each
/// row map names every column next to the value that fills it (<see cref="RowMap{T}"/>).
/// </summary>
public static class SilverRows
{
    public const string AppEvents = "silver.app_events";
    public const string Clickstream = "silver.clickstream";
    public const string Users = "silver.users";
    public const string Sessions = "silver.sessions";

    private static readonly RowMap<AppEvent> AppEventRows = new(PlatformTables.Get(AppEvents),
    [
        ("event_id", e => e.EventId),
        ("user_id", e => e.UserId),
        ("session_id", e => e.SessionId),
        ("event_type", e => e.EventType),
        ("app_type", e => e.AppType),
        ("event_timestamp", e => e.Timestamp.UtcDateTime),
        ("value", e => e.Value),
        ("properties", e => e.Properties is null ? null : JsonSerializer.Serialize(e.Properties, EventJsonContext.Default.IReadOnlyDictionaryStringString)),
        ("event_hour", e => e.Timestamp.UtcDateTime.Hour),
        ("event_date", e => DateOnly.FromDateTime(e.Timestamp.UtcDateTime)),
    ]);

    private static readonly RowMap<ClickstreamEvent> ClickstreamRows = new(PlatformTables.Get(Clickstream),
    [
        ("event_id", e => e.EventId),
        ("user_id", e => e.UserId),
        ("session_id", e => e.SessionId),
        ("page_url", e => e.PageUrl),
        ("action", e => e.Action),
        ("event_timestamp", e => e.Timestamp.UtcDateTime),
        ("referrer", e => e.Referrer),
        ("device", e => e.Device),
        ("event_hour", e => e.Timestamp.UtcDateTime.Hour),
        ("event_date", e => DateOnly.FromDateTime(e.Timestamp.UtcDateTime)),
    ]);

    private static readonly RowMap<UserProfileEvent> ProfileRows = new(PlatformTables.Get(Users),
    [
        ("user_id", profile => profile.UserId),
        ("email", profile => profile.Email),
        ("name", profile => profile.Name),
        ("country", profile => profile.Country),
        ("signup_at", profile => profile.SignupAt?.UtcDateTime),
        ("updated_at", profile => profile.Timestamp.UtcDateTime),
        ("event_date", profile => DateOnly.FromDateTime(profile.Timestamp.UtcDateTime)),
    ]);

    private static readonly RowMap<SessionSnapshot> SessionRows = new(PlatformTables.Get(Sessions),
    [
        ("session_id", session => session.SessionId),
        ("user_id", session => session.UserId),
        ("started_at", session => session.StartedAt.UtcDateTime),
        ("last_activity", session => session.LastActivity.UtcDateTime),
        ("duration_s", session => session.DurationS),
        ("events", session => (long)session.Events),
        ("page_views", session => (long)session.PageViews),
        ("clicks", session => (long)session.Clicks),
        ("is_bounce", session => session.IsBounce),
        ("converted", session => session.Converted),
        ("entry_page", session => session.EntryPage),
        ("exit_page", session => session.ExitPage),
        ("path", session => JsonSerializer.Serialize(session.Path, EventJsonContext.Default.IReadOnlyListString)),
        ("event_date", session => DateOnly.FromDateTime(session.StartedAt.UtcDateTime)),
    ]);

    public static object?[] Of(AppEvent e) => AppEventRows.Row(e ?? throw new ArgumentNullException(nameof(e)));

    public static object?[] Of(ClickstreamEvent e) => ClickstreamRows.Row(e ?? throw new ArgumentNullException(nameof(e)));

    public static object?[] Of(UserProfileEvent profile) => ProfileRows.Row(profile ?? throw new ArgumentNullException(nameof(profile)));

    public static object?[] Of(SessionSnapshot session) => SessionRows.Row(session ?? throw new ArgumentNullException(nameof(session)));

    /// <summary>The silver table of a CDC source table, or null for tables silver does not keep.</summary>
    public static string? CdcTableOf(string sourceTable) =>
        PlatformTables.Find("silver." + sourceTable) is { } table && table.Upstream.Contains("bronze.cdc_changes") ? table.Name : null;

    /// <summary>
    /// A row of <c>silver.&lt;table&gt;</c> for an applied change: the row as it is after the change (<paramref name="rowAfter"/>:
    /// an update that carries only what changed is merged over the row; a delete keeps the last columns), or the change's
    /// own image (the before image of a delete) when the row's state is not given.
    /// </summary>
    public static object?[] Of(CdcChange change, string silverTable, IReadOnlyDictionary<string, string?>? rowAfter = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        var table = PlatformTables.Find(silverTable) ?? throw new ArgumentException($"{silverTable} is not a lake table.", nameof(silverTable));
        var image = rowAfter ?? (change.Op == "d" ? change.Before : change.After) ?? change.Before ?? new Dictionary<string, string?>();
        var at = DateTimeOffset.FromUnixTimeMilliseconds(change.TsMs).UtcDateTime;
        var row = new object?[table.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            var column = table.Columns[i].Name;
            row[i] = column switch
            {
                "op" => change.Op,
                "ts_ms" => change.TsMs,
                "is_deleted" => change.Op == "d",
                "event_date" => DateOnly.FromDateTime(at),
                _ => image.GetValueOrDefault(column),
            };
        }
        return row;
    }

    internal static string Key(params object?[] parts) => string.Join('\u001f', parts.Select(part => Convert.ToString(part, CultureInfo.InvariantCulture)));
}
