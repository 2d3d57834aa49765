using System.Text;
using k8s;
using k8s.Models;

namespace DataPlatform.UnitTests.Deployment;

/// <summary>
/// deploy/k8s read with the Kubernetes client's own models in strict mode: an unknown field, a value of the
/// wrong type or an unknown kind fails to load, as the API server would refuse it.
/// </summary>
internal sealed class KubernetesManifests
{
    public const string Folder = "deploy/k8s";

    private KubernetesManifests(IReadOnlyList<(string File, IKubernetesObject<V1ObjectMeta> Object)> objects) => Objects = objects;

    /// <summary>Every object, with the file it is in, in the order <c>kubectl apply -f deploy/k8s/</c> applies them.</summary>
    public IReadOnlyList<(string File, IKubernetesObject<V1ObjectMeta> Object)> Objects { get; }

    public static KubernetesManifests Load() => new([.. Directory
        .GetFiles(RepositoryFiles.PathOf(Folder), "*.yaml")
        .Order(StringComparer.Ordinal)
        .SelectMany(path => Parse(File.ReadAllText(path)).Select(item => (Path.GetFileName(path), item)))]);

    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Parse(string yaml) =>
        [.. KubernetesYaml.LoadAllFromString(yaml, typeMap: null, strict: true).Cast<IKubernetesObject<V1ObjectMeta>>()];

    public IEnumerable<T> All<T>() => Objects.Select(item => item.Object).OfType<T>();

    public T Single<T>(string name)
        where T : IKubernetesObject<V1ObjectMeta> => All<T>().Single(item => item.Metadata.Name == name);

    /// <summary>The silo Deployment: the one whose container runs the image built from deploy/Dockerfile.</summary>
    public V1Deployment SiloDeployment => All<V1Deployment>().Single(deployment => deployment.Metadata.Name == "dataplatform-silo");

    public V1Container SiloContainer => SiloDeployment.Spec.Template.Spec.Containers.Single();

    /// <summary>
    /// What the silo container's environment holds: every key of the ConfigMaps and Secrets it takes whole
    /// (envFrom), then its own env entries (a value filled in by Kubernetes at run time has none here).
    /// </summary>
    public IReadOnlyList<DeploymentSetting> SiloSettings()
    {
        var settings = new List<DeploymentSetting>();
        foreach (var source in SiloContainer.EnvFrom ?? [])
        {
            if (source.ConfigMapRef is { } configMapRef)
            {
                var configMap = Single<V1ConfigMap>(configMapRef.Name);
                settings.AddRange((configMap.Data ?? new Dictionary<string, string>()).Select(entry =>
                    new DeploymentSetting($"ConfigMap {configMap.Metadata.Name}", entry.Key, entry.Value)));
            }
            if (source.SecretRef is { } secretRef)
            {
                var secret = Single<V1Secret>(secretRef.Name);
                var values = (secret.StringData ?? new Dictionary<string, string>())
                    .Concat((secret.Data ?? new Dictionary<string, byte[]>()).Select(entry => KeyValuePair.Create(entry.Key, Encoding.UTF8.GetString(entry.Value))));
                settings.AddRange(values.Select(entry => new DeploymentSetting($"Secret {secret.Metadata.Name}", entry.Key, entry.Value)));
            }
        }
        settings.AddRange((SiloContainer.Env ?? []).Select(variable =>
            new DeploymentSetting($"Deployment {SiloDeployment.Metadata.Name} env", variable.Name, variable.Value)));
        return settings;
    }

    /// <summary>The field of the pod an env entry of the silo container is filled from (downward API), if any.</summary>
    public string? FieldOf(string variable) =>
        SiloContainer.Env?.SingleOrDefault(entry => entry.Name == variable)?.ValueFrom?.FieldRef?.FieldPath;
}
