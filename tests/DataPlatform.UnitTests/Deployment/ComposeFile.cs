using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace DataPlatform.UnitTests.Deployment;

/// <summary>
/// docker-compose.yml as plain maps, lists and strings, with YAML anchors and merge keys (<c>&lt;&lt;: *silo</c>)
/// resolved as Compose resolves them.
/// </summary>
internal sealed class ComposeFile
{
    public const string FileName = "docker-compose.yml";

    /// <summary>The Dockerfile every silo service is built from.</summary>
    public const string SiloDockerfile = "deploy/Dockerfile";

    private ComposeFile(IReadOnlyDictionary<string, Dictionary<object, object?>> services) => Services = services;

    public IReadOnlyDictionary<string, Dictionary<object, object?>> Services { get; }

    /// <summary>The services built from <see cref="SiloDockerfile"/>, in the order the file lists them.</summary>
    public IReadOnlyList<string> Silos => [.. Services
        .Where(service => Map(service.Value, "build") is { } build && Text(build, "dockerfile") == SiloDockerfile)
        .Select(service => service.Key)];

    public static ComposeFile Load() => Parse(RepositoryFiles.Read(FileName));

    public static ComposeFile Parse(string yaml)
    {
        var parser = new MergingParser(new Parser(new StringReader(yaml)));
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object?>>(parser)
            ?? throw new InvalidOperationException($"{FileName} is empty.");
        var services = Map(root, "services") ?? throw new InvalidOperationException($"{FileName} has no services.");
        return new ComposeFile(services.ToDictionary(
            service => (string)service.Key,
            service => service.Value as Dictionary<object, object?> ?? new Dictionary<object, object?>(),
            StringComparer.Ordinal));
    }

    /// <summary>A service's environment, written as a map or as a list of NAME=value.</summary>
    public IReadOnlyList<DeploymentSetting> Environment(string service)
    {
        var source = $"{FileName} {service}";
        return Services[service].GetValueOrDefault("environment") switch
        {
            Dictionary<object, object?> map => [.. map.Select(entry => new DeploymentSetting(source, (string)entry.Key, entry.Value as string))],
            List<object?> list => [.. list.Cast<string>().Select(entry => entry.Split('=', 2) is [var name, var value]
                ? new DeploymentSetting(source, name, value)
                : new DeploymentSetting(source, entry, null))],
            _ => [],
        };
    }

    public string? EnvironmentValue(string service, string name) =>
        Environment(service).LastOrDefault(setting => setting.Name == name)?.Value;

    public static Dictionary<object, object?>? Map(Dictionary<object, object?> node, string key) =>
        node.GetValueOrDefault(key) as Dictionary<object, object?>;

    public static IReadOnlyList<string> Strings(Dictionary<object, object?> node, string key) =>
        node.GetValueOrDefault(key) switch
        {
            List<object?> list => [.. list.Select(item => item as string ?? "")],
            string single => [single],
            _ => [],
        };

    public static string? Text(Dictionary<object, object?> node, string key) => node.GetValueOrDefault(key) as string;
}
