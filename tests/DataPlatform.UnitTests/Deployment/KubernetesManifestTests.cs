using DataPlatform.Silo.Development;
using DataPlatform.Lake;
using DataPlatform.Silo.Hosting;
using DataPlatform.Simulator;
using k8s.Models;
using Npgsql;
using Orleans.Hosting.Kubernetes;

namespace DataPlatform.UnitTests.Deployment;

/// <summary>deploy/k8s: valid Kubernetes objects, and a silo Deployment that matches the silo's options and Orleans' Kubernetes hosting.</summary>
public sealed class KubernetesManifestTests
{
    private readonly KubernetesManifests manifests = KubernetesManifests.Load();

    [Fact]
    public void Every_manifest_loads_as_Kubernetes_objects_in_one_namespace()
    {
        var kinds = manifests.Objects.Select(item => item.Object.Kind).ToHashSet(StringComparer.Ordinal);
        string[] expected = ["Namespace", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Secret", "Deployment", "Service", "PodDisruptionBudget", "StatefulSet", "PersistentVolumeClaim"];
        Assert.Empty(expected.Except(kinds));

        var (firstFile, first) = manifests.Objects[0];
        var space = Assert.IsType<V1Namespace>(first, exactMatch: false).Metadata.Name;
        foreach (var (file, item) in manifests.Objects.Skip(1))
        {
            Assert.True(item.Metadata.NamespaceProperty == space, $"{file}: {item.Kind} {item.Metadata.Name} is not in namespace {space} ({firstFile} creates it first)");
        }
    }

    [Fact]
    public void A_misspelled_field_does_not_load()
    {
        var yaml = RepositoryFiles.Read("deploy", "k8s", "40-silo.yaml")
            .Replace("containerPort: 11111", "containerport: 11111", StringComparison.Ordinal);

        var error = Record.Exception(() => KubernetesManifests.Parse(yaml));

        Assert.NotNull(error);
        Assert.Contains("containerport", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_container_ports_and_probes_are_the_silos()
    {
        var settings = manifests.SiloSettings();
        var orleans = SiloConfigurationSurface.Effective<OrleansHostingOptions>(settings, OrleansHostingOptions.SectionName);
        var http = new Uri(settings.Last(setting => setting.Name == "Urls").Value!).Port;
        var container = manifests.SiloContainer;

        Assert.Equal(http, Port(container, "http"));
        Assert.Equal(orleans.SiloPort, Port(container, "silo"));
        Assert.Equal(orleans.GatewayPort, Port(container, "gateway"));
        foreach (var (kind, probe) in new[] { ("startup", container.StartupProbe), ("readiness", container.ReadinessProbe), ("liveness", container.LivenessProbe) })
        {
            Assert.True(probe?.HttpGet is not null, $"the silo has no {kind} probe over HTTP");
            Assert.Equal("/health", probe.HttpGet.Path);
            Assert.Equal("http", probe.HttpGet.Port.Value);
        }

        var service = manifests.Single<V1Service>(manifests.SiloDeployment.Metadata.Name);
        Assert.Equal("http", Assert.Single(service.Spec.Ports).TargetPort.Value);
        AssertSelects(service.Spec.Selector, manifests.SiloDeployment);
        AssertSelects(manifests.Single<V1PodDisruptionBudget>(manifests.SiloDeployment.Metadata.Name).Spec.Selector.MatchLabels, manifests.SiloDeployment);
    }

    [Fact]
    public void The_silo_gets_what_Orleans_Kubernetes_hosting_needs()
    {
        var settings = manifests.SiloSettings();
        var orleans = SiloConfigurationSurface.Effective<OrleansHostingOptions>(settings, OrleansHostingOptions.SectionName);

        Assert.True(orleans.Kubernetes);
        Assert.Equal(OrleansHostingOptions.AdoNetClustering, orleans.ClusterProvider);
        Assert.Equal("metadata.name", manifests.FieldOf(KubernetesHostingOptions.PodNameEnvironmentVariable));
        Assert.Equal("metadata.namespace", manifests.FieldOf(KubernetesHostingOptions.PodNamespaceEnvironmentVariable));
        Assert.Equal("status.podIP", manifests.FieldOf(KubernetesHostingOptions.PodIPEnvironmentVariable));
        Assert.Equal("status.podIP", manifests.FieldOf("Orleans__AdvertisedIPAddress"));

        // The pods carry the cluster's identity under the labels the hosting package selects them by.
        var labels = manifests.SiloDeployment.Spec.Template.Metadata.Labels;
        Assert.Equal(orleans.ServiceId, labels[KubernetesHostingOptions.ServiceIdLabel]);
        Assert.Equal(orleans.ClusterId, labels[KubernetesHostingOptions.ClusterIdLabel]);

        // Its service account may read, list, watch and label the namespace's pods.
        var account = manifests.SiloDeployment.Spec.Template.Spec.ServiceAccountName;
        Assert.NotNull(manifests.Single<V1ServiceAccount>(account));
        var binding = manifests.All<V1RoleBinding>().Single(item => item.Subjects.Any(subject => subject.Kind == "ServiceAccount" && subject.Name == account));
        var role = manifests.Single<V1Role>(binding.RoleRef.Name);
        var pods = role.Rules.Where(rule => rule.ApiGroups.Contains("") && rule.Resources.Contains("pods")).SelectMany(rule => rule.Verbs);
        Assert.Empty(new[] { "get", "list", "watch", "patch" }.Except(pods));
    }

    [Fact]
    public void The_silos_read_a_real_Kafka_share_the_lake_and_simulate_nothing()
    {
        var settings = manifests.SiloSettings();

        var kafka = SiloConfigurationSurface.Effective<KafkaHostingOptions>(settings, KafkaHostingOptions.SectionName);
        Assert.False(string.IsNullOrWhiteSpace(kafka.BootstrapServers), "an empty Kafka:BootstrapServers starts a Kafka inside every pod");
        Assert.NotEqual(true, SiloConfigurationSurface.Effective<SimulatorHostingOptions>(settings, SimulatorOptions.SectionName).Enabled);

        var lake = SiloConfigurationSurface.Effective<LakeOptions>(settings, LakeOptions.SectionName);
        var mount = Assert.Single(manifests.SiloContainer.VolumeMounts);
        Assert.Equal(lake.Root, mount.MountPath);
        var volume = manifests.SiloDeployment.Spec.Template.Spec.Volumes.Single(item => item.Name == mount.Name);
        var claim = manifests.Single<V1PersistentVolumeClaim>(volume.PersistentVolumeClaim.ClaimName);
        Assert.Contains("ReadWriteMany", claim.Spec.AccessModes);
    }

    [Fact]
    public void The_connection_string_reaches_the_PostgreSQL_of_the_manifests()
    {
        var database = new NpgsqlConnectionStringBuilder(manifests.SiloSettings().Single(setting => setting.Name == "ConnectionStrings__Orleans").Value);
        var postgres = manifests.Single<V1StatefulSet>("dataplatform-postgres");
        var secret = manifests.Single<V1Secret>(postgres.Spec.Template.Spec.Containers.Single().EnvFrom.Single().SecretRef.Name);

        Assert.Equal(postgres.Spec.ServiceName, database.Host);
        Assert.NotNull(manifests.Single<V1Service>(database.Host!));
        Assert.Equal(secret.StringData["POSTGRES_DB"], database.Database);
        Assert.Equal(secret.StringData["POSTGRES_USER"], database.Username);
        Assert.Equal(secret.StringData["POSTGRES_PASSWORD"], database.Password);
    }

    private static int? Port(V1Container container, string name) => container.Ports.SingleOrDefault(port => port.Name == name)?.ContainerPort;

    private static void AssertSelects(IDictionary<string, string> selector, V1Deployment deployment)
    {
        var labels = deployment.Spec.Template.Metadata.Labels;
        Assert.All(selector, label => Assert.Equal(label.Value, labels[label.Key]));
    }
}
