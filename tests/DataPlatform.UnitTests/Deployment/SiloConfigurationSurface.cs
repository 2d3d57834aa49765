using DataPlatform.Grains.Checkpoints;
using DataPlatform.Silo.Development;
using System.ComponentModel;
using System.Reflection;
using DataPlatform.Analytics.Alerts;
using DataPlatform.Analytics.Kpis;
using DataPlatform.Analytics.Segments;
using DataPlatform.Analytics.Validation;
using DataPlatform.Api.Security;
using DataPlatform.Grains.Hosting;
using DataPlatform.Grains.Sessions;
using DataPlatform.Lake;
using DataPlatform.Silo.Hosting;
using DataPlatform.Simulator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans.Hosting.Kubernetes;

namespace DataPlatform.UnitTests.Deployment;

/// <summary>
/// The configuration a silo reads, as deployment files must name it: the sections <see cref="PlatformHost"/>
/// binds to options types, ConnectionStrings:Orleans, the host's Urls and Logging, and the environment
/// variables of Orleans' Kubernetes hosting. A key exists when it walks down the settable properties of its
/// section's options type, as the configuration binder would (case-insensitively).
/// </summary>
internal static class SiloConfigurationSurface
{
    private const string LoggingSection = "Logging";
    private const string ConnectionStringsSection = "ConnectionStrings";

    /// <summary>Each section the silo binds, with the options types bound from it (PlatformHost).</summary>
    public static IReadOnlyDictionary<string, Type[]> Sections { get; } = new Dictionary<string, Type[]>(StringComparer.OrdinalIgnoreCase)
    {
        [OrleansHostingOptions.SectionName] = [typeof(OrleansHostingOptions)],
        [KafkaHostingOptions.SectionName] = [typeof(KafkaHostingOptions)],
        [PlatformStreamOptions.SectionName] = [typeof(StreamingHostingOptions), typeof(PlatformStreamOptions)],
        ["Kpis"] = [typeof(KpiOptions)],
        [AlertOptions.SectionName] = [typeof(AlertOptions)],
        [SessionClosingOptions.SectionName] = [typeof(SessionClosingOptions)],
        [SegmentRules.SectionName] = [typeof(SegmentRules)],
        ["Validation"] = [typeof(EdgeValidationOptions)],
        [LakeOptions.SectionName] = [typeof(LakeOptions)],
        [SimulatorOptions.SectionName] = [typeof(SimulatorHostingOptions), typeof(SimulatorOptions)],
        [PlatformProfileOptions.SectionName] = [typeof(PlatformProfileOptions)],
        [CheckpointOptions.SectionName] = [typeof(CheckpointOptions)],
        [IdleGrainOptions.SectionName] = [typeof(IdleGrainOptions)],
        [SecurityOptions.SectionName] = [typeof(SecurityOptions)],
    };

    /// <summary>The connection strings the silo asks for by name.</summary>
    public static IReadOnlyList<string> ConnectionStrings { get; } = [ClusterProfileExtensions.ConnectionStringName];

    /// <summary>The environment variables Orleans' Kubernetes hosting reads (POD_NAME, POD_NAMESPACE, POD_IP, ...).</summary>
    public static IReadOnlyList<string> KubernetesEnvironment { get; } = [.. typeof(KubernetesHostingOptions)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.Name.EndsWith("EnvironmentVariable", StringComparison.Ordinal))
        .Select(field => (string)field.GetRawConstantValue()!)];

    /// <summary>The configuration key of a setting: Orleans__SiloPort and Orleans:SiloPort are both Orleans:SiloPort.</summary>
    public static string KeyOf(string name) => name.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);

    /// <summary>Why the silo would not read a setting of this name, or null when it does.</summary>
    public static string? Problem(string name)
    {
        if (KubernetesEnvironment.Contains(name, StringComparer.Ordinal))
        {
            return null;
        }
        var path = KeyOf(name).Split(ConfigurationPath.KeyDelimiter);
        var section = path[0];
        if (section.Equals(WebHostDefaults.ServerUrlsKey, StringComparison.OrdinalIgnoreCase))
        {
            return path.Length == 1 ? null : $"{name}: Urls is a single value, not a section";
        }
        if (section.Equals(LoggingSection, StringComparison.OrdinalIgnoreCase))
        {
            return path.Length > 2 ? null : $"{name}: Logging settings name a provider or LogLevel and a category";
        }
        if (section.Equals(ConnectionStringsSection, StringComparison.OrdinalIgnoreCase))
        {
            return path.Length == 2 && ConnectionStrings.Contains(path[1], StringComparer.OrdinalIgnoreCase)
                ? null
                : $"{name}: the silo reads no such connection string (it reads {string.Join(", ", ConnectionStrings.Select(known => $"{ConnectionStringsSection}:{known}"))})";
        }
        if (!Sections.TryGetValue(section, out var types))
        {
            return $"{name}: the silo binds no section '{section}' (it binds {string.Join(", ", Sections.Keys.Order(StringComparer.Ordinal))}, "
                + $"and reads Urls, {LoggingSection}:* and {ConnectionStringsSection}:*)";
        }
        var problems = types.Select(type => PathProblem(type, path, 1)).ToList();
        return problems.Contains(null) ? null : $"{name}: {problems[0]}";
    }

    /// <summary>
    /// Values the options types cannot take (a port that is not a number, a duration that does not parse), as the
    /// configuration binder reports them. Settings without a value (filled in at run time) are skipped.
    /// </summary>
    public static IReadOnlyList<string> ValueProblems(IEnumerable<DeploymentSetting> settings)
    {
        var problems = new List<string>();
        foreach (var source in settings.GroupBy(setting => setting.Source, StringComparer.Ordinal))
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(Values(source)).Build();
            foreach (var (section, types) in Sections)
            {
                foreach (var type in types)
                {
                    try
                    {
                        configuration.GetSection(section).Get(type);
                    }
                    catch (InvalidOperationException ex)
                    {
                        problems.Add($"{source.Key}: {ex.Message}{(ex.InnerException is { } inner ? $" {inner.Message}" : "")}");
                    }
                }
            }
        }
        return problems;
    }

    /// <summary>
    /// The options a silo would bind from its appsettings.json overlaid with these settings: what the setting
    /// changes in effect, defaults and the shipped file included.
    /// </summary>
    public static T Effective<T>(IEnumerable<DeploymentSetting> settings, string section)
        where T : new()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(RepositoryFiles.PathOf("silos", "DataPlatform.Silo", "appsettings.json"))
            .AddInMemoryCollection(Values(settings))
            .Build();
        return configuration.GetSection(section).Get<T>() ?? new T();
    }

    /// <summary>Configuration keys and values; of two settings with the same key the later wins, as in a container's environment.</summary>
    private static Dictionary<string, string?> Values(IEnumerable<DeploymentSetting> settings)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var setting in settings.Where(setting => setting.Value is not null))
        {
            values[KeyOf(setting.Name)] = setting.Value;
        }
        return values;
    }

    private static string? PathProblem(Type type, string[] path, int index)
    {
        if (index >= path.Length)
        {
            return $"names a section of {type.Name}, not one of its settings";
        }
        var property = type.GetProperty(path[index], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || property.GetIndexParameters().Length > 0)
        {
            return $"{type.Name} has no setting '{path[index]}' (it has {string.Join(", ", Settings(type))})";
        }
        var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (IsValue(valueType))
        {
            if (property.SetMethod is not { IsPublic: true })
            {
                return $"{type.Name}.{property.Name} cannot be set";
            }
            return index == path.Length - 1 ? null : $"{type.Name}.{property.Name} is a single value, not a section";
        }
        if (DictionaryValueType(valueType) is { } entryType)
        {
            if (index + 1 >= path.Length)
            {
                return $"{type.Name}.{property.Name} takes one setting per entry ({property.Name}:<name>)";
            }
            return !IsValue(entryType) ? PathProblem(entryType, path, index + 2)
                : index + 2 == path.Length ? null
                : $"{type.Name}.{property.Name}:{path[index + 1]} is a single value, not a section";
        }
        return PathProblem(valueType, path, index + 1);
    }

    /// <summary>What the binder sets from one string: numbers, text, durations, enums, ... (anything a TypeConverter reads from text).</summary>
    private static bool IsValue(Type type) => TypeDescriptor.GetConverter(type).CanConvertFrom(typeof(string));

    private static Type? DictionaryValueType(Type type) => type.GetInterfaces().Append(type)
        .Where(candidate => candidate.IsGenericType && candidate.GetGenericTypeDefinition() == typeof(IDictionary<,>))
        .Where(candidate => candidate.GetGenericArguments()[0] == typeof(string))
        .Select(candidate => candidate.GetGenericArguments()[1])
        .FirstOrDefault();

    private static IEnumerable<string> Settings(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property.SetMethod is { IsPublic: true } || DictionaryValueType(property.PropertyType) is not null)
        .Select(property => property.Name);
}
