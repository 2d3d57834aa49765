using System.Globalization;
using System.Text.Json;
using DataPlatform.Silo.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DataPlatform.KafkaTests.Cluster;

/// <summary>The real host with Orleans:ClusterProvider=AdoNet, configured as an operator would, on an empty database.</summary>
[Collection(SharedPostgres.Name)]
public sealed class PlatformHostOnPostgresTests(PostgresServer postgres)
{
    [Fact]
    public async Task The_platform_applies_the_schema_joins_through_PostgreSQL_and_health_says_storage_is_durable()
    {
        var database = await postgres.CreateEmptyDatabaseAsync();
        var clusterId = $"platform-{Guid.NewGuid():N}";
        var lake = Path.Combine(Path.GetTempPath(), $"dp-pg-lake-{Guid.NewGuid():N}");
        var app = PlatformHost.Build(
        [
            "--urls", "http://127.0.0.1:0",
            "--Orleans:ClusterProvider", "AdoNet",
            "--ConnectionStrings:Orleans", database,
            "--Orleans:ClusterId", clusterId,
            "--Orleans:AdvertisedIPAddress", "127.0.0.1",
            "--Orleans:SiloPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            "--Orleans:GatewayPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            "--Platform:Profile", "Development",
            "--Kafka:EmbeddedPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            "--Simulator:Enabled", "false",
            "--Lake:Root", lake,
            "--Logging:LogLevel:Default", "Warning",
        ]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()) };

            var health = JsonDocument.Parse(await http.GetStringAsync("/health")).RootElement;
            var storage = health.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == "storage");

            Assert.StartsWith("PostgreSQL", storage.GetProperty("detail").GetString(), StringComparison.Ordinal);
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                $"SELECT count(*) FROM OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 3", connection);
            Assert.Equal(1L, await command.ExecuteScalarAsync());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            if (Directory.Exists(lake))
            {
                Directory.Delete(lake, recursive: true);
            }
        }
    }
}
