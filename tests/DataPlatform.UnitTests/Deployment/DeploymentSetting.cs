namespace DataPlatform.UnitTests.Deployment;

/// <summary>
/// One setting a deployment file gives a silo: where (file and service or object), the name as written
/// (environment form, Orleans__SiloPort), and its value (null when Kubernetes fills it in at run time).
/// </summary>
internal sealed record DeploymentSetting(string Source, string Name, string? Value)
{
    public override string ToString() => $"{Source}: {Name}";
}
