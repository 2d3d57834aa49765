using System.Collections.Concurrent;

namespace DataPlatform.Grains.Sessions;

/// <summary>The open sessions whose grains live on this silo, with their last activity (event time).</summary>
public sealed class OpenSessions
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastActivity = new(StringComparer.Ordinal);

    public int Count => _lastActivity.Count;

    public void Touch(string sessionId, DateTimeOffset lastActivity) => _lastActivity[sessionId] = lastActivity;

    public void Forget(string sessionId) => _lastActivity.TryRemove(sessionId, out _);

    /// <summary>Sessions whose last activity is further behind the watermark than the timeout.</summary>
    public IReadOnlyList<string> IdleAt(DateTimeOffset watermark, TimeSpan timeout) =>
        [.. _lastActivity.Where(pair => watermark - pair.Value > timeout).Select(pair => pair.Key)];
}
