namespace DataPlatform.Simulator.Generation;

/// <summary>A session in progress: who, through which channel, and the funnel steps still to come.</summary>
internal sealed class SimulatedSession(SimulatedUser user, string sessionId, bool isClickstream, string entryReferrer, Queue<PlannedEvent> steps)
{
    private string? _previousPage;

    public SimulatedUser User => user;

    public string SessionId => sessionId;

    public bool IsClickstream => isClickstream;

    public bool IsFinished => steps.Count == 0;

    public PlannedEvent TakeNext() => steps.Dequeue();

    /// <summary>The referrer of the next page: outside the site at entry, the previous page after that.</summary>
    public string NextReferrer(string page)
    {
        var referrer = _previousPage ?? entryReferrer;
        _previousPage = page;
        return referrer;
    }
}
