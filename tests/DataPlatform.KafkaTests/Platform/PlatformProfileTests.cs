using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using DataPlatform.Contracts.Events;
using DataPlatform.EmbeddedKafka;
using DataPlatform.KafkaTests.Cluster;
using DataPlatform.Silo.Development;
using DataPlatform.Silo.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataPlatform.KafkaTests.Platform;

/// <summary>
/// Which profile a silo runs: a silo pointed at a configured Kafka starts no embedded Kafka and writes no
/// synthetic record into it unless told to twice (Simulator:Enabled and Simulator:AllowExternalKafka); the
/// development profile starts an embedded Kafka and the simulator feeding it.
/// </summary>
public sealed class PlatformProfileTests : IAsyncLifetime
{
    private readonly string _lakeRoot = Path.Combine(Path.GetTempPath(), $"dp-profile-lake-{Guid.NewGuid():N}");
    private EmbeddedKafka.EmbeddedKafka _kafka = null!;

    public Task InitializeAsync()
    {
        var options = new EmbeddedKafkaOptions();
        foreach (var topic in Topics.All)
        {
            options.Topics[topic] = 2;
        }
        _kafka = EmbeddedKafka.EmbeddedKafka.Start(options);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _kafka.DisposeAsync();
        if (Directory.Exists(_lakeRoot))
        {
            Directory.Delete(_lakeRoot, recursive: true);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData(PlatformProfileOptions.Production)]
    [InlineData(PlatformProfileOptions.Development)]
    public Task A_silo_pointed_at_a_configured_Kafka_starts_no_embedded_Kafka_and_writes_nothing_into_it(string? profile) =>
        WhileRunningAsync(Arguments(profile, "--Kafka:BootstrapServers", _kafka.BootstrapServers), async app =>
        {
            Assert.Null(app.Services.GetService<EmbeddedKafka.EmbeddedKafka>());
            Assert.DoesNotContain(app.Services.GetServices<IHostedService>(), service => service is InProcessSimulator or EmbeddedKafkaLifetime);
            // The simulator would have produced hundreds of records by now.
            await Task.Delay(TimeSpan.FromSeconds(3));
            Assert.Equal(0, RecordsIn(_kafka.BootstrapServers));
        });

    [Fact]
    public Task The_development_profile_starts_an_embedded_Kafka_and_the_simulator_producing_into_it() =>
        WhileRunningAsync(Arguments(PlatformProfileOptions.Development, "--Kafka:EmbeddedPort", "0", "--Kafka:Partitions", "2"), async app =>
        {
            var embedded = app.Services.GetRequiredService<EmbeddedKafka.EmbeddedKafka>();
            Assert.NotEqual(_kafka.BootstrapServers, embedded.BootstrapServers);
            Assert.Contains(app.Services.GetServices<IHostedService>(), service => service is InProcessSimulator);
            await WaitForRecordsAsync(embedded.BootstrapServers);
        });

    [Fact]
    public Task The_development_profile_with_the_simulator_off_starts_only_the_embedded_Kafka() =>
        WhileRunningAsync(Arguments(PlatformProfileOptions.Development, "--Kafka:EmbeddedPort", "0", "--Simulator:Enabled", "false"), app =>
        {
            var hosted = app.Services.GetServices<IHostedService>().ToList();
            Assert.Contains(hosted, service => service is EmbeddedKafkaLifetime);
            Assert.DoesNotContain(hosted, service => service is InProcessSimulator);
            return Task.CompletedTask;
        });

    [Theory]
    [InlineData(PlatformProfileOptions.Production)]
    [InlineData(PlatformProfileOptions.Development)]
    public void The_simulator_against_a_configured_Kafka_without_the_opt_in_stops_the_silo_with_one_sentence(string profile)
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => PlatformHost.Build(
            Arguments(profile, "--Kafka:BootstrapServers", _kafka.BootstrapServers, "--Simulator:Enabled", "true")));

        Assert.Equal(
            $"Simulator:Enabled=true would write synthetic records into the Kafka at {_kafka.BootstrapServers} (Kafka:BootstrapServers): set Simulator:AllowExternalKafka=true as well if that Kafka is a throwaway one, or leave the simulator off.",
            refusal.Message);
    }

    [Fact]
    public Task With_the_opt_in_the_simulator_writes_into_the_configured_Kafka_and_no_embedded_one_starts() =>
        WhileRunningAsync(Arguments(null,
            "--Kafka:BootstrapServers", _kafka.BootstrapServers,
            "--Simulator:Enabled", "true",
            "--Simulator:AllowExternalKafka", "true"), async app =>
        {
            Assert.Null(app.Services.GetService<EmbeddedKafka.EmbeddedKafka>());
            await WaitForRecordsAsync(_kafka.BootstrapServers);
        });

    [Fact]
    public void A_production_silo_without_a_Kafka_stops_with_one_sentence()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => PlatformHost.Build(Arguments(null)));

        Assert.StartsWith("Kafka:BootstrapServers is empty: a production silo reads the Kafka it is given", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_profile_stops_the_silo_with_one_sentence()
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => PlatformHost.Build(
            Arguments("Demo", "--Kafka:BootstrapServers", _kafka.BootstrapServers)));

        Assert.Equal("Platform:Profile is 'Demo': set it to Production or Development.", refusal.Message);
    }

    [Fact]
    public void Dotnet_run_selects_the_development_profile_through_the_launch_profile()
    {
        var path = Path.Combine(PostgresServer.RepositoryRoot, "silos", "DataPlatform.Silo", "Properties", "launchSettings.json");
        using var settings = JsonDocument.Parse(File.ReadAllText(path));

        // dotnet run uses the first profile; environment variables are read as configuration (__ for :).
        var profile = settings.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        Assert.Equal("Project", profile.GetProperty("commandName").GetString());
        Assert.Equal(PlatformProfileOptions.Development, profile.GetProperty("environmentVariables").GetProperty("Platform__Profile").GetString());
    }

    private string[] Arguments(string? profile, params string[] more) =>
    [
        "--urls", "http://127.0.0.1:0",
        "--Orleans:SiloPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        "--Orleans:GatewayPort", FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        "--Orleans:ClusterId", $"profile-{Guid.NewGuid():N}",
        "--Kafka:ConsumerGroup", $"profile-{Guid.NewGuid():N}",
        "--Simulator:Rate", "100",
        "--Simulator:Users", "50",
        "--Lake:Root", _lakeRoot,
        "--Logging:LogLevel:Default", "Warning",
        .. profile is null ? Array.Empty<string>() : ["--Platform:Profile", profile],
        .. more,
    ];

    /// <summary>Builds and starts the platform, runs the check against it, and stops it.</summary>
    private static async Task WhileRunningAsync(string[] arguments, Func<WebApplication, Task> check)
    {
        var app = PlatformHost.Build(arguments);
        await app.StartAsync();
        try
        {
            await check(app);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Records in the five topics: the sum of their partitions' high watermarks.</summary>
    private static long RecordsIn(string bootstrapServers)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrapServers, GroupId = "watermarks" }).Build();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var metadata = admin.GetMetadata(TimeSpan.FromSeconds(10));
        return metadata.Topics
            .Where(topic => Topics.All.Contains(topic.Topic))
            .SelectMany(topic => topic.Partitions.Select(partition => new TopicPartition(topic.Topic, partition.PartitionId)))
            .Sum(partition => (long)consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(10)).High);
    }

    private static async Task WaitForRecordsAsync(string bootstrapServers)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (RecordsIn(bootstrapServers) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no simulated record reached the Kafka at {bootstrapServers}");
            await Task.Delay(250);
        }
    }
}
