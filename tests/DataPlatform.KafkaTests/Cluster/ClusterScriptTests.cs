using System.Net.Http;
using DataPlatform.Contracts.Events;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// deploy/scripts/cluster.sh end to end, as an operator runs it: PostgreSQL, the standalone embedded Kafka and
/// two silos on free ports; a silo killed, declared dead and its partitions taken over; started again; and
/// nothing left running after stop.
/// </summary>
public sealed class ClusterScriptTests
{
    private const int Active = 3;
    private const int Dead = 6;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly int AllPartitions = Topics.All.Count * 8;

    [Fact]
    public async Task Start_kill_start_silo_and_stop_run_a_two_silo_cluster_and_leave_nothing_running()
    {
        await using var cluster = new ClusterScript();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var api = new SiloApi(cluster);

        var started = await cluster.RunAsync("start", "2", "--no-build");

        Assert.Contains(cluster.WebAddress(1).ToString().TrimEnd('/'), started, StringComparison.Ordinal);
        Assert.Contains(cluster.WebAddress(2).ToString().TrimEnd('/'), started, StringComparison.Ordinal);
        foreach (var silo in new[] { 1, 2 })
        {
            // Any answer counts: 503 means a check is unhealthy, not that the silo is down.
            using var health = await http.GetAsync(new Uri(cluster.WebAddress(silo), "/health"));
            Assert.True((int)health.StatusCode is 200 or 503, $"silo {silo}'s /health answered {health.StatusCode}");
            Assert.Equal(Active, await cluster.MembershipStatusAsync(silo));
        }
        var status = Lines(await cluster.RunAsync("status"));
        Assert.Contains(status, line => line.StartsWith("silo 1 ", StringComparison.Ordinal) && line.Contains("running  pid", StringComparison.Ordinal));
        Assert.Contains(status, line => line.StartsWith("silo 2 ", StringComparison.Ordinal) && line.Contains("running  pid", StringComparison.Ordinal));
        Assert.Contains(status, line => line.StartsWith("kafka ", StringComparison.Ordinal) && line.Contains("running", StringComparison.Ordinal));

        var killed = cluster.Pid("silo-2");
        await cluster.RunAsync("kill", "2");

        Assert.False(ClusterScript.IsRunning(killed));
        await WaitUntilAsync(cluster, async () => await cluster.MembershipStatusAsync(2) == Dead, "silo 2 declared dead in the membership table");
        await WaitUntilAsync(cluster, async () => await PartitionsReadAsync(api, 1) == AllPartitions, $"silo 1 reading all {AllPartitions} partitions");

        await cluster.RunAsync("start-silo", "2");

        Assert.Equal(Active, await cluster.MembershipStatusAsync(2));
        await WaitUntilAsync(cluster, async () => await PartitionsReadAsync(api, 2) > 0, "silo 2 reading partitions again");
        status = Lines(await cluster.RunAsync("status"));
        Assert.Equal(2, status.Count(line => line.StartsWith("silo ", StringComparison.Ordinal) && line.Contains("running  pid", StringComparison.Ordinal)));

        var pids = cluster.Pids();
        Assert.Equal(4, pids.Count); // two silos, Kafka, PostgreSQL
        await cluster.RunAsync("stop");

        Assert.All(pids, pid => Assert.False(ClusterScript.IsRunning(pid), $"pid {pid} still runs after stop"));
        Assert.DoesNotContain(Lines(await cluster.RunAsync("status")), line => line.Contains("running", StringComparison.Ordinal) && !line.Contains("not running", StringComparison.Ordinal));
    }

    /// <summary>The partitions a silo's /health says it reads, -1 when it does not answer.</summary>
    private static async Task<int> PartitionsReadAsync(SiloApi api, int silo) => (await api.HealthAsync(silo))?.PartitionsRead ?? -1;

    /// <summary>Waits for the condition; on time-out the message carries the end of silo 1's log (the temp directory goes with the test).</summary>
    private static async Task WaitUntilAsync(ClusterScript cluster, Func<Task<bool>> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await condition())
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Waited {Deadline.TotalSeconds:0} s for {what}. silo-1.log ends:\n{cluster.LogTail("silo-1")}");
            }
        }
    }

    private static List<string> Lines(string output) => [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
}
