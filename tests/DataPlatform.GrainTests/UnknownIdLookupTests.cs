using System.Globalization;
using System.Text;
using DataPlatform.Contracts.Grains;
using Orleans.Runtime;

namespace DataPlatform.GrainTests;

/// <summary>
/// Lookups of ids nothing is known about (what GET /users/{id}, /users/{id}/sessions and /sessions/{id}
/// do) must not leave activations behind, or every probe of an unknown id costs memory until collection.
/// </summary>
[Collection(LookupClusterDefinition.Name)]
public sealed class UnknownIdLookupTests(LookupCluster fixture)
{
    private const int Lookups = 300;

    [Fact]
    public async Task Lookups_of_unknown_users_sessions_and_rows_leave_no_activation_while_known_users_stay()
    {
        var known = await IngestKnownUsersAsync(3);
        var before = await ActivationsAsync();
        Assert.All(known, user => Assert.Contains(user, before));

        for (var i = 0; i < Lookups; i++)
        {
            var user = fixture.Client.GetGrain<IUserGrain>($"unknown-user-{i}");
            Assert.Null(await user.GetProfileAsync());
            Assert.Empty(await user.GetSessionIdsAsync());
            Assert.Null(await fixture.Client.GetGrain<ISessionGrain>($"unknown-session-{i}").GetSnapshotAsync());
            Assert.Null(await fixture.Client.GetGrain<ICdcRowGrain>($"orders:unknown-order-{i}").GetRowAsync());
        }
        foreach (var user in known)
        {
            Assert.NotNull(await fixture.Client.GetGrain<IUserGrain>(user).GetProfileAsync());
            Assert.NotEmpty(await fixture.Client.GetGrain<IUserGrain>(user).GetSessionIdsAsync());
        }

        await Eventually.HoldsAsync(async () => (await ActivationsAsync()).Count(key => key.StartsWith("unknown-", StringComparison.Ordinal) || key.StartsWith("orders:unknown-", StringComparison.Ordinal)),
            count => count == 0, TimeSpan.FromSeconds(60), "activations of unknown ids gone");
        var after = await ActivationsAsync();
        Assert.All(known, user => Assert.Contains(user, after));
        Assert.All(known, user => Assert.Contains($"{user}-session", after));
    }

    /// <summary>The keys of every string-keyed user, session and row activation in the cluster.</summary>
    private async Task<HashSet<string>> ActivationsAsync()
    {
        var statistics = await fixture.Client.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return [.. statistics.Select(statistic => statistic.GrainId.Key.ToString())];
    }

    /// <summary>Users (each with one session) known through events that went through the edge and the streams.</summary>
    private async Task<List<string>> IngestKnownUsersAsync(int count)
    {
        var ingestor = fixture.Ingestor();
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture);
        var users = Enumerable.Range(1, count).Select(i => $"known-user-{i}").ToList();
        foreach (var user in users)
        {
            Assert.True(await ingestor.IngestAsync("topic_app_events", user, Encoding.UTF8.GetBytes(
                $$"""{"event_id":"{{user}}-1","user_id":"{{user}}","session_id":"{{user}}-session","event_type":"app_open","app_type":"ios","timestamp":"{{at}}"}"""),
                CancellationToken.None));
        }
        foreach (var user in users)
        {
            await Eventually.HoldsAsync(fixture.Client.GetGrain<IUserGrain>(user).GetProfileAsync, profile => profile is not null,
                TimeSpan.FromSeconds(60), $"profile of {user}");
        }
        return users;
    }
}
