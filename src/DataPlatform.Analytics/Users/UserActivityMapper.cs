using DataPlatform.Contracts.Events;
using DataPlatform.Contracts.Messages;

namespace DataPlatform.Analytics.Users;

/// <summary>Normalises app events and clickstream records into the user activities grains count.</summary>
public static class UserActivityMapper
{
    public static UserActivity From(AppEvent appEvent)
    {
        ArgumentNullException.ThrowIfNull(appEvent);
        return new UserActivity
        {
            EventId = appEvent.EventId,
            UserId = appEvent.UserId,
            SessionId = appEvent.SessionId,
            EventType = appEvent.EventType,
            Timestamp = appEvent.Timestamp,
            AppType = appEvent.AppType,
            Value = appEvent.Value,
        };
    }

    /// <summary>A clickstream record's event type is its action; its app type is "web".</summary>
    public static UserActivity From(ClickstreamEvent click)
    {
        ArgumentNullException.ThrowIfNull(click);
        return new UserActivity
        {
            EventId = click.EventId,
            UserId = click.UserId,
            SessionId = click.SessionId,
            EventType = click.Action,
            Timestamp = click.Timestamp,
            AppType = "web",
            Device = click.Device,
            PageUrl = click.PageUrl,
        };
    }
}
