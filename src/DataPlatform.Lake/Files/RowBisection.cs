namespace DataPlatform.Lake.Files;

/// <summary>
/// Finds the items a write refuses by halving: a failing set is split and each half probed again until
/// single failing items remain. k bad items among n cost about 2·k·log2(n) probes.
/// </summary>
public static class RowBisection
{
    /// <summary>
    /// The positions of the items <paramref name="probe"/> refuses, each with the error it raised. An error
    /// <paramref name="isRowProblem"/> does not accept (an I/O failure) is thrown. When a set fails but each
    /// of its halves passes, the items fail only together and all of them are returned.
    /// </summary>
    public static async Task<List<(int Index, Exception Error)>> FindFailingAsync<T>(
        IReadOnlyList<T> items, Func<IReadOnlyList<T>, Task> probe, Func<Exception, bool> isRowProblem)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(isRowProblem);
        var failing = new List<(int Index, Exception Error)>();
        if (await ProbeAsync(0, items.Count) is { } error)
        {
            await SearchAsync(0, items.Count, error);
        }
        return failing;

        async Task<Exception?> ProbeAsync(int start, int count)
        {
            try
            {
                await probe([.. items.Skip(start).Take(count)]);
                return null;
            }
            catch (Exception ex) when (isRowProblem(ex))
            {
                return ex;
            }
        }

        async Task SearchAsync(int start, int count, Exception error)
        {
            if (count == 1)
            {
                failing.Add((start, error));
                return;
            }
            var half = count / 2;
            var first = await ProbeAsync(start, half);
            var second = await ProbeAsync(start + half, count - half);
            if (first is null && second is null)
            {
                failing.AddRange(Enumerable.Range(start, count).Select(index => (index, error)));
                return;
            }
            if (first is not null)
            {
                await SearchAsync(start, half, first);
            }
            if (second is not null)
            {
                await SearchAsync(start + half, count - half, second);
            }
        }
    }
}
