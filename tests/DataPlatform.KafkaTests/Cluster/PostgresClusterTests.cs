using DataPlatform.Silo.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>
/// Silos configured as PlatformHost does with Orleans:ClusterProvider=AdoNet: they join through PostgreSQL
/// membership, and grain state and reminders outlive the whole cluster.
/// </summary>
[Collection(SharedPostgres.Name)]
public sealed class PostgresClusterTests(PostgresServer postgres)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Two_silos_join_through_PostgreSQL_and_state_and_reminders_survive_a_full_restart()
    {
        // An empty database: the first silo applies the schema itself.
        var database = await postgres.CreateEmptyDatabaseAsync();
        var clusterId = $"cluster-{Guid.NewGuid():N}";

        var first = new[] { await PostgresSilo.StartAsync(database, clusterId), await PostgresSilo.StartAsync(database, clusterId) };
        try
        {
            Assert.Equal(2, await ActiveSilosInTableAsync(database, clusterId));
            await WaitForActiveHostsAsync(first[0], 2);
            await WaitForActiveHostsAsync(first[1], 2);

            var counter = Grains(first[1]).GetGrain<IDurableCounterGrain>("orders");
            Assert.Equal(5, await counter.AddAsync(5));
            Assert.Equal(12, await counter.AddAsync(7));
            await counter.RegisterReminderAsync("nightly");
        }
        finally
        {
            await PostgresSilo.StopAsync(first);
        }

        Assert.Equal(0, await ActiveSilosInTableAsync(database, clusterId));
        Assert.Equal(1, await ScalarAsync(database, "SELECT count(*) FROM OrleansRemindersTable WHERE ReminderName = 'nightly'"));

        var second = new[] { await PostgresSilo.StartAsync(database, clusterId), await PostgresSilo.StartAsync(database, clusterId) };
        try
        {
            var counter = Grains(second[0]).GetGrain<IDurableCounterGrain>("orders");
            Assert.Equal(12, await counter.GetAsync());
            Assert.True(await counter.HasReminderAsync("nightly"));
            Assert.Equal(13, await counter.AddAsync(1));
        }
        finally
        {
            await PostgresSilo.StopAsync(second);
        }
    }

    [Fact]
    public async Task A_silo_that_cannot_reach_its_database_stops_with_one_sentence_naming_the_setting()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePorts.Next()};Database=none;Username=postgres;Timeout=5";

        var failure = await Assert.ThrowsAsync<OrleansSchemaException>(() => PostgresSilo.StartAsync(unreachable, "unreachable"));

        Assert.StartsWith("The Orleans schema (deploy/sql) could not be applied to the PostgreSQL database in ConnectionStrings:Orleans: ", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
    }

    private static IGrainFactory Grains(IHost host) => host.Services.GetRequiredService<IGrainFactory>();

    private static async Task WaitForActiveHostsAsync(IHost host, int expected)
    {
        var management = Grains(host).GetGrain<IManagementGrain>(0);
        using var deadline = new CancellationTokenSource(Deadline);
        while ((await management.GetHosts(onlyActive: true)).Count != expected)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }
    }

    private static Task<long> ActiveSilosInTableAsync(string database, string clusterId) =>
        ScalarAsync(database, $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 3");

    private static async Task<long> ScalarAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
