using System.Globalization;
using System.Text.Json;
using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;
using DataPlatform.Lake.Catalog;

namespace DataPlatform.Grains.Lake;

/// <summary>Rows of the silver tables: typed, validated records and the grains' closed sessions and applied changes.</summary>
public static class SilverRows
{
    public const string AppEvents = "silver.app_events";
    public const string Clickstream = "silver.clickstream";
    public const string Users = "silver.users";
    public const string Sessions = "silver.sessions";

    public static object?[] Of(AppEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var at = e.Timestamp.UtcDateTime;
        return
        [
            e.EventId, e.UserId, e.SessionId, e.EventType, e.AppType, at, e.Value,
            e.Properties is null ? null : JsonSerializer.Serialize(e.Properties, Contracts.Serialization.EventJsonContext.Default.IReadOnlyDictionaryStringString),
            at.Hour, DateOnly.FromDateTime(at),
        ];
    }

    public static object?[] Of(ClickstreamEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var at = e.Timestamp.UtcDateTime;
        return [e.EventId, e.UserId, e.SessionId, e.PageUrl, e.Action, at, e.Referrer, e.Device, at.Hour, DateOnly.FromDateTime(at)];
    }

    public static object?[] Of(UserProfileEvent profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var at = profile.Timestamp.UtcDateTime;
        return [profile.UserId, profile.Email, profile.Name, profile.Country, profile.SignupAt?.UtcDateTime, at, DateOnly.FromDateTime(at)];
    }

    public static object?[] Of(SessionSnapshot session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return
        [
            session.SessionId, session.UserId, session.StartedAt.UtcDateTime, session.LastActivity.UtcDateTime, session.DurationS,
            (long)session.Events, (long)session.PageViews, (long)session.Clicks, session.IsBounce, session.Converted,
            session.EntryPage, session.ExitPage, JsonSerializer.Serialize(session.Path, Contracts.Serialization.EventJsonContext.Default.IReadOnlyListString),
            DateOnly.FromDateTime(session.StartedAt.UtcDateTime),
        ];
    }

    /// <summary>The silver table of a CDC source table, or null for tables silver does not keep.</summary>
    public static string? CdcTableOf(string sourceTable) =>
        PlatformTables.Find("silver." + sourceTable) is { } table && table.Upstream.Contains("bronze.cdc_changes") ? table.Name : null;

    /// <summary>A row of <c>silver.&lt;table&gt;</c> for an applied change: the after image (the before image of a delete).</summary>
    public static object?[] Of(CdcChange change, string silverTable)
    {
        ArgumentNullException.ThrowIfNull(change);
        var table = PlatformTables.Find(silverTable) ?? throw new ArgumentException($"{silverTable} is not a lake table.", nameof(silverTable));
        var image = (change.Op == "d" ? change.Before : change.After) ?? change.Before ?? new Dictionary<string, string?>();
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
