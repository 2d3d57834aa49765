using DataPlatform.Silo.Development;
using System.Text.RegularExpressions;
using DataPlatform.Contracts.Events;
using DataPlatform.Silo.Hosting;
using DataPlatform.Simulator;
using Npgsql;

namespace DataPlatform.UnitTests.Deployment;

/// <summary>docker-compose.yml: valid for Compose, and the cluster it describes is the one the silo expects.</summary>
public sealed partial class ComposeFileTests
{
    private readonly ComposeFile compose = ComposeFile.Load();

    [Fact]
    public async Task Docker_compose_accepts_the_file()
    {
        var (exitCode, output, errors) = await DockerComposeTool.ConfigAsync(RepositoryFiles.PathOf(ComposeFile.FileName));

        Assert.True(exitCode == 0, $"docker-compose config refused {ComposeFile.FileName} (exit {exitCode}): {errors}");
        foreach (var silo in compose.Silos)
        {
            Assert.Contains($"  {silo}:", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Docker_compose_refuses_a_misspelled_option()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"dp-compose-{Guid.NewGuid():N}.yml");
        try
        {
            await File.WriteAllTextAsync(broken, RepositoryFiles.Read(ComposeFile.FileName)
                .Replace("    image: postgres:15\n", "    image: postgres:15\n    helthcheck: {}\n", StringComparison.Ordinal));

            var (exitCode, _, errors) = await DockerComposeTool.ConfigAsync(broken);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("helthcheck", errors, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void The_topics_job_creates_every_topic_with_eight_partitions()
    {
        var job = compose.Services["kafka-topics"];
        var script = string.Join('\n', ComposeFile.Strings(job, "command"));

        var topics = TopicLoop().Match(script);
        Assert.True(topics.Success, $"kafka-topics loops over no topic list: {script}");
        Assert.Equal(Topics.All, topics.Groups["topics"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--partitions 8", script, StringComparison.Ordinal);
        Assert.Contains("--bootstrap-server kafka:9092", script, StringComparison.Ordinal);
    }

    [Fact]
    public void PostgreSQL_15_starts_with_the_schema_of_deploy_sql()
    {
        var postgres = compose.Services["postgres"];

        Assert.StartsWith("postgres:15", ComposeFile.Text(postgres, "image"), StringComparison.Ordinal);
        Assert.Contains(ComposeFile.Strings(postgres, "volumes"),
            volume => volume.StartsWith("./deploy/sql:/docker-entrypoint-initdb.d", StringComparison.Ordinal));
        Assert.NotEmpty(Directory.GetFiles(RepositoryFiles.PathOf("deploy", "sql"), "*.sql"));
    }

    [Fact]
    public void Every_service_has_a_health_check_and_every_dependency_a_condition()
    {
        var awaitedToComplete = compose.Services.Values
            .SelectMany(service => ComposeFile.Map(service, "depends_on") ?? new Dictionary<object, object?>())
            .Where(dependency => ComposeFile.Text((Dictionary<object, object?>)dependency.Value!, "condition") == "service_completed_successfully")
            .Select(dependency => (string)dependency.Key)
            .ToHashSet(StringComparer.Ordinal);

        foreach (var (name, service) in compose.Services)
        {
            Assert.True(ComposeFile.Map(service, "healthcheck") is not null || awaitedToComplete.Contains(name),
                $"{name} has no health check (only a one-shot job that others await with service_completed_successfully may go without)");
            Assert.False(service.GetValueOrDefault("depends_on") is List<object?>, $"{name} lists its dependencies without conditions");
            foreach (var (dependency, condition) in ComposeFile.Map(service, "depends_on") ?? new Dictionary<object, object?>())
            {
                Assert.True(compose.Services.ContainsKey((string)dependency), $"{name} depends on {dependency}, which is no service");
                Assert.NotNull(ComposeFile.Text((Dictionary<object, object?>)condition!, "condition"));
            }
        }
    }

    [Fact]
    public void Two_silos_on_PostgreSQL_and_Kafka_publish_5080_and_5081_and_only_the_first_simulates()
    {
        Assert.Equal(new[] { "silo-1", "silo-2" }, compose.Silos);
        for (var i = 0; i < compose.Silos.Count; i++)
        {
            var name = compose.Silos[i];
            var silo = compose.Services[name];
            var settings = compose.Environment(name);
            var httpPort = new Uri(compose.EnvironmentValue(name, "Urls")!).Port;

            Assert.Equal($"127.0.0.1:{5080 + i}:{httpPort}", Assert.Single(ComposeFile.Strings(silo, "ports")));
            var probe = ComposeFile.Strings(ComposeFile.Map(silo, "healthcheck")!, "test");
            Assert.Contains($"http://127.0.0.1:{httpPort}/health", probe);

            var depends = ComposeFile.Map(silo, "depends_on")!;
            Assert.Equal("service_healthy", ComposeFile.Text((Dictionary<object, object?>)depends["postgres"]!, "condition"));
            Assert.Equal("service_completed_successfully", ComposeFile.Text((Dictionary<object, object?>)depends["kafka-topics"]!, "condition"));

            var orleans = SiloConfigurationSurface.Effective<OrleansHostingOptions>(settings, OrleansHostingOptions.SectionName);
            Assert.Equal(OrleansHostingOptions.AdoNetClustering, orleans.ClusterProvider);
            var database = new NpgsqlConnectionStringBuilder(compose.EnvironmentValue(name, "ConnectionStrings__Orleans"));
            Assert.True(compose.Services.ContainsKey(database.Host!), $"{name}'s database host {database.Host} is no service");
            Assert.Equal(ComposeFile.Text(ComposeFile.Map(compose.Services[database.Host!], "environment")!, "POSTGRES_DB"), database.Database);

            var kafka = SiloConfigurationSurface.Effective<KafkaHostingOptions>(settings, KafkaHostingOptions.SectionName);
            Assert.Equal("kafka:9092", kafka.BootstrapServers);

            var simulator = SiloConfigurationSurface.Effective<SimulatorHostingOptions>(settings, SimulatorOptions.SectionName);
            Assert.True((simulator.Enabled == true) == (i == 0), $"{name}: Simulator:Enabled is {simulator.Enabled}");
            Assert.True(simulator.AllowExternalKafka || simulator.Enabled != true, $"{name} runs the simulator against its Kafka without Simulator:AllowExternalKafka");
        }
    }

    [Fact]
    public void The_silo_image_publishes_the_silo_and_answers_health_checks()
    {
        var dockerfile = RepositoryFiles.Read("deploy", "Dockerfile");

        Assert.Contains("dotnet publish silos/DataPlatform.Silo", dockerfile, StringComparison.Ordinal);
        Assert.Contains("ENTRYPOINT [\"./DataPlatform.Silo\"]", dockerfile, StringComparison.Ordinal);
        var runtime = dockerfile[dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];
        Assert.Contains("curl", runtime, StringComparison.Ordinal);
        var options = new OrleansHostingOptions();
        Assert.Contains($"EXPOSE 5080 {options.SiloPort} {options.GatewayPort}", runtime, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"for topic in (?<topics>[a-z_ ]+); do")]
    private static partial Regex TopicLoop();
}
