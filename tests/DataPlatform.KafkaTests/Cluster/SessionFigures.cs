using DataPlatform.GrainTests;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>A session's figures as docs/metrics.md defines them, from its distinct events in the reference.</summary>
public sealed record SessionFigures(
    string UserId, DateTimeOffset StartedAt, DateTimeOffset LastActivity, double DurationS, int Events, int PageViews, int Clicks,
    bool IsBounce, bool Converted, string? EntryPage, string? ExitPage, bool Closed)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public static SessionFigures Of(IGrouping<string, ReferenceAnalytics.Row> session, DateTimeOffset watermark)
    {
        var pageViews = session.Where(ReferenceAnalytics.IsPageView).OrderBy(row => row.At).ToList();
        var started = session.Min(row => row.At);
        var last = session.Max(row => row.At);
        return new SessionFigures(
            session.First().UserId, started, last, (last - started).TotalSeconds, session.Count(), pageViews.Count,
            session.Count(row => row.Type is "click" or "button_click"), Bounced(session), session.Any(row => row.Type == "purchase"),
            pageViews.FirstOrDefault(row => row.Page is not null)?.Page, pageViews.LastOrDefault(row => row.Page is not null)?.Page,
            watermark - last > Timeout);
    }

    /// <summary>Exactly one page view and no other event.</summary>
    public static bool Bounced(IEnumerable<ReferenceAnalytics.Row> session) =>
        session.Count() == 1 && session.Count(ReferenceAnalytics.IsPageView) == 1;
}
