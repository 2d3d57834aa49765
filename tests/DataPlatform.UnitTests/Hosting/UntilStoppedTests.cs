using DataPlatform.Contracts.Hosting;

namespace DataPlatform.UnitTests.Hosting;

/// <summary>
/// A silo's background loops of grain calls (joining the checkpoints, the KPI relay's subscription) survive a
/// call the cluster cancelled: a dead silo's grain directory partition moving cancels lookups, and an exception
/// escaping a background service stops the whole silo.
/// </summary>
public sealed class UntilStoppedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_cancelled_call_is_reported_and_made_again_while_the_host_runs()
    {
        using var stopping = new CancellationTokenSource();
        var failures = new List<Exception>();
        var attempts = 0;
        var loop = UntilStopped.RepeatAsync(_ =>
        {
            attempts++;
            if (attempts == 1)
            {
                throw new OperationCanceledException("a directory lookup was cancelled");
            }
            if (attempts == 2)
            {
                throw new TimeoutException("the coordinator did not answer");
            }
            stopping.Cancel();
            return Task.FromResult(TimeSpan.FromMinutes(1));
        }, TimeSpan.Zero, failures.Add, stopping.Token);

        await loop.WaitAsync(Timeout);

        Assert.Equal(3, attempts);
        Assert.Collection(failures, first => Assert.IsType<OperationCanceledException>(first), second => Assert.IsType<TimeoutException>(second));
    }

    [Fact]
    public async Task Stopping_ends_the_loop_without_a_failure_even_in_the_middle_of_an_attempt()
    {
        using var stopping = new CancellationTokenSource();
        var failures = new List<Exception>();
        var loop = UntilStopped.RepeatAsync(async token =>
        {
            await stopping.CancelAsync();
            await Task.Delay(Timeout, token);
            return TimeSpan.Zero;
        }, TimeSpan.Zero, failures.Add, stopping.Token);

        await loop.WaitAsync(Timeout);

        Assert.True(loop.IsCompletedSuccessfully);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task Whatever_an_attempt_throws_while_the_host_stops_ends_the_loop_quietly()
    {
        using var stopping = new CancellationTokenSource();
        var failures = new List<Exception>();
        var loop = UntilStopped.RepeatAsync(async _ =>
        {
            await stopping.CancelAsync();
            throw new TimeoutException("the coordinator's silo is going away too");
        }, TimeSpan.Zero, failures.Add, stopping.Token);

        await loop.WaitAsync(Timeout);

        Assert.True(loop.IsCompletedSuccessfully);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task The_wait_the_attempt_answers_comes_before_the_next_one()
    {
        using var stopping = new CancellationTokenSource();
        var attempts = 0;
        var loop = UntilStopped.RepeatAsync(_ =>
        {
            attempts++;
            return Task.FromResult(Timeout * 10);
        }, TimeSpan.Zero, _ => { }, stopping.Token);

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        await stopping.CancelAsync();
        await loop.WaitAsync(Timeout);

        Assert.Equal(1, attempts);
    }
}
