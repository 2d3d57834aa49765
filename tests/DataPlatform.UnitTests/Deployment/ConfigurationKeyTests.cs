using System.Reflection;
using System.Text.RegularExpressions;
using DataPlatform.Silo.Hosting;
using Microsoft.Extensions.Configuration;

namespace DataPlatform.UnitTests.Deployment;

/// <summary>Every setting docker-compose.yml and deploy/k8s give a silo is one the silo reads, with a value it can take.</summary>
public sealed partial class ConfigurationKeyTests
{
    [Fact]
    public void Every_setting_docker_compose_gives_a_silo_exists_in_the_silo()
    {
        var compose = ComposeFile.Load();
        var settings = compose.Silos.SelectMany(compose.Environment).ToList();

        Assert.NotEmpty(settings);
        AssertKnown(settings);
    }

    [Fact]
    public void Every_setting_the_kubernetes_manifests_give_the_silo_exists_in_the_silo()
    {
        var settings = KubernetesManifests.Load().SiloSettings();

        Assert.Contains(settings, setting => setting.Source.StartsWith("ConfigMap", StringComparison.Ordinal));
        Assert.Contains(settings, setting => setting.Source.StartsWith("Secret", StringComparison.Ordinal));
        AssertKnown(settings);
    }

    [Fact]
    public void A_misspelled_key_in_docker_compose_is_named()
    {
        var compose = ComposeFile.Parse(RepositoryFiles.Read(ComposeFile.FileName)
            .Replace("Simulator__Enabled: \"true\"", "Simulator__Enabeld: \"true\"", StringComparison.Ordinal));

        var problems = compose.Silos.SelectMany(compose.Environment)
            .Select(setting => SiloConfigurationSurface.Problem(setting.Name))
            .OfType<string>()
            .ToList();

        Assert.Contains("Simulator__Enabeld: SimulatorHostingOptions has no setting 'Enabeld'", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelled_key_in_the_silo_config_map_is_named()
    {
        var yaml = RepositoryFiles.Read("deploy", "k8s", "30-silo-config.yaml")
            .Replace("  Kafka__BootstrapServers:", "  Kafka__BootstrapServer:", StringComparison.Ordinal);
        var configMap = KubernetesManifests.Parse(yaml).OfType<k8s.Models.V1ConfigMap>().Single();

        var problems = configMap.Data.Keys.Select(SiloConfigurationSurface.Problem).OfType<string>().ToList();

        Assert.Contains("Kafka__BootstrapServer: KafkaHostingOptions has no setting 'BootstrapServer'", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Simulator__Enabeld", "SimulatorHostingOptions has no setting 'Enabeld'")]
    [InlineData("Orleans__ClusterProvidr", "OrleansHostingOptions has no setting 'ClusterProvidr'")]
    [InlineData("Orleans:Clustering", "OrleansHostingOptions has no setting 'Clustering'")]
    [InlineData("Kafak__BootstrapServers", "the silo binds no section 'Kafak'")]
    [InlineData("ConnectionStrings__Orleons", "the silo reads no such connection string")]
    [InlineData("Lake__Root__Path", "LakeOptions.Root is a single value, not a section")]
    [InlineData("Kafka__ClientSettings", "KafkaHostingOptions.ClientSettings takes one setting per entry")]
    [InlineData("Orleans", "names a section of OrleansHostingOptions")]
    [InlineData("POD_NAM", "the silo binds no section 'POD_NAM'")]
    [InlineData("Urls__Http", "Urls is a single value")]
    public void A_key_the_silo_does_not_read_is_named(string name, string reason)
    {
        var problem = SiloConfigurationSurface.Problem(name);

        Assert.NotNull(problem);
        Assert.StartsWith($"{name}: ", problem, StringComparison.Ordinal);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Orleans__SiloPort")]
    [InlineData("orleans:clusterprovider")]
    [InlineData("Orleans__Kubernetes")]
    [InlineData("Streaming__ProviderName")]
    [InlineData("Kafka__ClientSettings__security.protocol")]
    [InlineData("Segments__VipRevenue90Days")]
    [InlineData("Logging__LogLevel__Default")]
    [InlineData("ConnectionStrings__Orleans")]
    [InlineData("Urls")]
    [InlineData("POD_NAME")]
    [InlineData("POD_NAMESPACE")]
    [InlineData("POD_IP")]
    public void A_key_the_silo_reads_is_accepted(string name) => Assert.Null(SiloConfigurationSurface.Problem(name));

    [Fact]
    public void A_value_the_options_cannot_take_is_named()
    {
        var problems = SiloConfigurationSurface.ValueProblems([new("test", "Orleans__SiloPort", "eleven"), new("test", "Lake__FlushInterval", "00:00:10")]);

        Assert.Contains("Orleans:SiloPort", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_key_of_the_silos_appsettings_is_known()
    {
        var settings = new ConfigurationBuilder()
            .AddJsonFile(RepositoryFiles.PathOf("silos", "DataPlatform.Silo", "appsettings.json"))
            .Build()
            .AsEnumerable()
            .Where(entry => entry.Value is not null)
            .Select(entry => new DeploymentSetting("appsettings.json", entry.Key, entry.Value))
            .ToList();

        AssertKnown(settings);
    }

    /// <summary>
    /// The surface these tests check against is the one the silo's code binds: every GetSection(...) in
    /// silos/DataPlatform.Silo names a section the surface lists, and the surface lists no other.
    /// </summary>
    [Fact]
    public void The_surface_lists_exactly_the_sections_the_silo_binds()
    {
        var sources = Directory.GetFiles(RepositoryFiles.PathOf("silos", "DataPlatform.Silo"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText);
        var bound = sources
            .SelectMany(source => SectionReference().Matches(source))
            .Select(match => match.Groups["literal"].Success ? match.Groups["literal"].Value : SectionNameOf(match.Groups["type"].Value))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.NotEmpty(bound);
        Assert.Equal(bound.Order(StringComparer.OrdinalIgnoreCase), SiloConfigurationSurface.Sections.Keys.Order(StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);
    }

    private static void AssertKnown(IReadOnlyList<DeploymentSetting> settings)
    {
        var unknown = settings
            .Select(setting => SiloConfigurationSurface.Problem(setting.Name) is { } problem ? $"{setting.Source}: {problem}" : null)
            .OfType<string>()
            .ToList();
        Assert.True(unknown.Count == 0, "Settings the silo does not read:\n" + string.Join('\n', unknown));
        var values = SiloConfigurationSurface.ValueProblems(settings);
        Assert.True(values.Count == 0, "Values the silo cannot take:\n" + string.Join('\n', values));
    }

    /// <summary>The value of the SectionName constant of the type of that name, among the silo and its references.</summary>
    private static string SectionNameOf(string typeName)
    {
        var silo = typeof(PlatformHost).Assembly;
        var assemblies = silo.GetReferencedAssemblies().Select(Assembly.Load).Append(silo);
        var field = assemblies
            .SelectMany(assembly => assembly.GetTypes())
            .Where(type => type.Name == typeName)
            .Select(type => type.GetField("SectionName", BindingFlags.Public | BindingFlags.Static))
            .Single(candidate => candidate is { IsLiteral: true });
        return (string)field!.GetRawConstantValue()!;
    }

    [GeneratedRegex(@"(?:GetSection|BindConfiguration)\(\s*(?:""(?<literal>[^""]+)""|(?<type>\w+)\.SectionName)\s*\)")]
    private static partial Regex SectionReference();
}
