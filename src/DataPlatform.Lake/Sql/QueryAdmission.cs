namespace DataPlatform.Lake.Sql;

/// <summary>
/// The places for queries running at once. A query waits a short while for a place and is turned away
/// with <see cref="LakeBusyException"/> when none frees up, so a burst of heavy queries cannot take the
/// silo's memory and cores.
/// </summary>
public sealed class QueryAdmission : IDisposable
{
    private readonly SemaphoreSlim _places;
    private readonly TimeSpan _wait;

    public QueryAdmission(int places, TimeSpan wait)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(places, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        _places = new SemaphoreSlim(places, places);
        _wait = wait;
        Places = places;
    }

    /// <summary>How many queries may run at once.</summary>
    public int Places { get; }

    /// <summary>Takes a place, waiting at most the queue timeout; dispose the lease to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _places.WaitAsync(_wait, cancellationToken))
        {
            throw new LakeBusyException(
                $"{Places} queries are already running, the most the lake runs at once (Lake:MaxConcurrentQueries). Retry in a moment.");
        }
        return new Lease(_places);
    }

    public void Dispose() => _places.Dispose();

    private sealed class Lease(SemaphoreSlim places) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                places.Release();
            }
        }
    }
}
