namespace DataPlatform.Contracts.Hosting;

/// <summary>
/// A background service's loop of grain calls. A failed attempt is reported and made again, whatever it threw
/// short of running out of memory: a grain call can end in an <see cref="OperationCanceledException"/> that has
/// nothing to do with the host stopping (the grain directory cancels lookups while a dead silo's partition moves),
/// and letting that escape would fail the service and, with it, stop the whole silo.
/// </summary>
public static class UntilStopped
{
    /// <summary>
    /// Runs <paramref name="attempt"/> until <paramref name="stoppingToken"/> is cancelled, waiting what it answers
    /// before the next one, or <paramref name="retryAfter"/> after one that failed (reported to <paramref name="failed"/>).
    /// </summary>
    public static async Task RepeatAsync(
        Func<CancellationToken, Task<TimeSpan>> attempt, TimeSpan retryAfter, Action<Exception> failed, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(failed);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                wait = await attempt(stoppingToken);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException && !stoppingToken.IsCancellationRequested)
            {
                failed(ex);
                wait = retryAfter;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // The host is stopping: whatever the attempt threw, the loop ends with it.
                return;
            }
            try
            {
                await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
